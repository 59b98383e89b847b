package dev.kos.cli.common;

import java.io.PrintWriter;
import java.util.Map;

/**
 * What a subcommand may need of the {@code kos} command it runs under, without depending on it: the subcommands'
 * packages sit below {@code dev.kos.cli}, whose {@code Kos} lists them, so naming {@code Kos} back would make a
 * package cycle. {@code Kos} implements this; a subcommand takes it as its {@code @ParentCommand} or from
 * {@code spec.root().userObject()}.
 */
public interface KosContext {

  /** The user's kos directory, as the environment this command line runs in names it. */
  KosHome home();

  /** Runs another kos command line in this JVM, as a user would type it, and returns its exit code. */
  int execute(Map<String, String> env, PrintWriter out, PrintWriter err, String... args);
}
