package dev.kos.frameworks.apps.core;

import java.time.Instant;

/** A command with who sent it: its id (which becomes the deployment id), principal and role. */
public record CommandEnvelope(String commandId, String principal, String role, Instant timestamp,
    AppCommand command) {
}
