package dev.kos.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The OCI image a task runs in, and how: what a framework asks for, validated once here. What is not given is the
 * image's: {@code entrypoint} replaces the image's entrypoint (and, as with Docker, drops the image's cmd unless
 * {@code args} is given too), {@code args} replaces its cmd, {@code env} is set over its environment. The task's
 * sandbox is at {@link #SANDBOX} inside the container, and is its working directory when neither this spec nor
 * the image names one. Only agents that advertise {@link #RUNTIME_ATTRIBUTE} run containers.
 *
 * @param image      an {@link ImageReference}: {@code oci:PATH[:TAG]} or {@code oci:PATH@sha256:HEX}, an OCI image
 *                   layout directory on the agent
 * @param workingDir an absolute path inside the container
 */
public record ContainerSpec(String image, Optional<List<String>> entrypoint, Optional<List<String>> args,
    Optional<String> workingDir, Map<String, String> env, Network network) {

  /** Where the task's sandbox appears inside its container. */
  public static final String SANDBOX = "/kos/sandbox";
  /**
   * The agent attribute that says an agent runs containers, and with what: {@code runc}. An agent without a
   * container runtime does not set it, so a constraint on it (or {@link OfferView#runsContainers()}) keeps
   * container tasks off agents that cannot run them.
   */
  public static final String RUNTIME_ATTRIBUTE = "kos.containers";
  /** The only runtime there is yet. */
  public static final String RUNC = "runc";

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** {@code HOST}: the agent's network, ports as kos allocates them; {@code NONE}: a loopback of its own. */
  public enum Network { HOST, NONE }

  public ContainerSpec {
    Objects.requireNonNull(image, "image");
    entrypoint = Objects.requireNonNull(entrypoint, "entrypoint").map(List::copyOf);
    args = Objects.requireNonNull(args, "args").map(List::copyOf);
    Objects.requireNonNull(workingDir, "workingDir");
    env = Map.copyOf(env);
    Objects.requireNonNull(network, "network");
    ImageReference.parse(image);
    if (entrypoint.isPresent() && entrypoint.get().isEmpty()) {
      throw new IllegalArgumentException("image " + image + ": an entrypoint override names at least the program "
          + "to run (leave it out to keep the image's)");
    }
    workingDir.filter(dir -> !dir.startsWith("/")).ifPresent(dir -> {
      throw new IllegalArgumentException("image " + image + ": working directory \"" + dir + "\" is not absolute");
    });
    env.keySet().stream().filter(name -> !ENV_NAME.matcher(name).matches()).findFirst().ifPresent(name -> {
      throw new IllegalArgumentException("image " + image + ": environment variable \"" + name + "\" is not a "
          + "name (letters, digits, '_', not starting with a digit)");
    });
  }

  /** The image, parsed (the constructor checked it parses). */
  public ImageReference imageReference() {
    return ImageReference.parse(image);
  }

  /** The image as it is: its entrypoint, cmd, working directory and environment; the agent's network. */
  public static ContainerSpec of(String image) {
    return new ContainerSpec(image, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Network.HOST);
  }

  public ContainerSpec withEntrypoint(List<String> newEntrypoint) {
    return new ContainerSpec(image, Optional.of(newEntrypoint), args, workingDir, env, network);
  }

  public ContainerSpec withArgs(List<String> newArgs) {
    return new ContainerSpec(image, entrypoint, Optional.of(newArgs), workingDir, env, network);
  }

  public ContainerSpec withNetwork(Network newNetwork) {
    return new ContainerSpec(image, entrypoint, args, workingDir, env, newNetwork);
  }

  /**
   * What runs, given the image's entrypoint and cmd: the (overridden) entrypoint followed by the (overridden)
   * args; empty when neither this spec nor the image names anything to run.
   */
  public List<String> commandLine(List<String> imageEntrypoint, List<String> imageCmd) {
    List<String> program = entrypoint.orElse(imageEntrypoint);
    List<String> arguments = args.orElse(entrypoint.isPresent() ? List.of() : imageCmd);
    return java.util.stream.Stream.concat(program.stream(), arguments.stream()).toList();
  }
}
