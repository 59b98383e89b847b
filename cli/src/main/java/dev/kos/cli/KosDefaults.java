package dev.kos.cli;

import dev.kos.cli.common.FromEnvironment;
import dev.kos.cli.common.KosHome;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when it is not on the command line, in this order:
 * the environment, for options marked {@link FromEnvironment} only ({@code --bootstrap-server} →
 * {@code KOS_BOOTSTRAP_SERVER}); the config file (key {@code bootstrap-server}); the cluster file
 * written by {@code kos up}; and last the option's declared default. {@code --help} and
 * {@code --version} come from the command line only.
 */
public final class KosDefaults implements CommandLine.IDefaultValueProvider {

  private final Map<String, String> env;
  private final Properties config;
  private final Properties cluster;

  public KosDefaults(Map<String, String> env, Path configFile, Path clusterFile) {
    this.env = Map.copyOf(env);
    this.config = KosHome.read(configFile);
    this.cluster = KosHome.read(clusterFile);
  }

  public static String envName(OptionSpec option) {
    return "KOS_" + key(option).replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)) {
      return null;
    }
    if (option.usageHelp() || option.versionHelp()) {
      return option.defaultValue();
    }
    String key = key(option);
    String fromEnv = readsEnvironment(option) ? env.get(envName(option)) : null;
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    if (config.containsKey(key)) {
      return config.getProperty(key);
    }
    if (cluster.containsKey(key)) {
      return cluster.getProperty(key);
    }
    return option.defaultValue();
  }

  /** Whether the option is marked {@link FromEnvironment}, on its field or its setter method. */
  public static boolean readsEnvironment(OptionSpec option) {
    return option.userObject() instanceof AnnotatedElement element && element.isAnnotationPresent(FromEnvironment.class);
  }

  private static String key(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }
}
