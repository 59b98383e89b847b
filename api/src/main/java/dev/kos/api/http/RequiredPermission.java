package dev.kos.api.http;

import dev.kos.bus.access.Permission;
import io.javalin.security.RouteRole;

/** The permission a route needs, attached to the route so that one handler checks every route. */
record RequiredPermission(Permission permission) implements RouteRole {
}
