package dev.kos.cli.api;

import dev.kos.bus.access.Grant;
import dev.kos.api.auth.TokenFiles;
import dev.kos.api.auth.Tokens;
import dev.kos.cli.common.UsageProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kos api token}: a new bearer token and its line for the token file. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = {
        "Make a bearer token for the API. Prints the token (give it to its user;",
        "it is not kept) and its line for the token file, which holds only the",
        "token's SHA-256; --add appends the line to the file.",
        "A grant is ROLE:VERB. view reads the cluster; operate also sends commands",
        "about apps, jobs and Kafka clusters in ROLE; admin also drains agents.",
        "The role @all stands for every role and for the cluster itself.",
        "Example: kos api token --principal alice --grant web:operate --grant @all:view --add"})
public final class ApiTokenCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @ParentCommand
  ApiCommand api;

  @Option(names = "--principal", required = true, paramLabel = "NAME",
      description = "Who the token authenticates; commands sent with it carry this principal")
  String principal;

  @Option(names = "--grant", required = true, paramLabel = "ROLE:VERB",
      description = "What the principal may do, repeatable (e.g. web:operate, @all:view, @all:admin)")
  List<String> grants;

  @Option(names = "--add", description = "Append the line to the token file (--token-file of `kos api`; "
      + "default: $KOS_HOME/api-tokens)")
  boolean add;

  @Override
  public Integer call() {
    try {
      grants.forEach(Grant::parse);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
    String token = Tokens.newToken();
    String line = Tokens.line(principal, String.join(",", grants), token);
    var out = spec.commandLine().getOut();
    out.println("token: " + token);
    out.println("line:  " + line);
    if (add) {
      Path file = api.tokenFile != null ? api.tokenFile : ApiCommand.defaultTokenFile(api.kos);
      TokenFiles.append(file, line);
      out.println("added to " + file + "; a running `kos api` reads it when it starts");
    }
    out.flush();
    return 0;
  }
}
