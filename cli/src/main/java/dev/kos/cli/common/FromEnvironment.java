package dev.kos.cli.common;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an option whose value may come from the environment when it is not on the command line:
 * {@code --bootstrap-server} reads {@code KOS_BOOTSTRAP_SERVER} ({@code KosDefaults.envName}). Only
 * options marked so read the environment. Deriving a variable for every option made a user's
 * unrelated {@code KOS_VERSION=4.3.1} an invalid {@code --version} for every command, and made
 * {@code KOS_JAVA_OPTS}, which {@code bin/kos} passes to its own JVM, also {@code kos bench --java-opts}.
 * The option's description names the variable ("env KOS_..."), which a test holds true.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface FromEnvironment {
}
