package dev.kos.allocator.stream;

import dev.kos.allocator.core.AgentSpec;
import dev.kos.allocator.core.FrameworkSpec;
import dev.kos.allocator.core.Offer;
import dev.kos.allocator.core.ReservationRule;
import dev.kos.model.Operation;
import dev.kos.model.PortRange;
import dev.kos.model.Ports;
import dev.kos.model.Resources;
import dev.kos.allocator.core.RoleConfig;
import dev.kos.schema.AgentReport;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.Reservation;
import dev.kos.schema.ReserveOperation;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.UnreserveOperation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps bus records to the core's values and back, once, at the edge of the allocator. Nothing
 * else in the shell looks inside Avro resources.
 */
final class AllocatorAvro {

  /**
   * The core caps every scalar of a quota limit, so an absent scalar on the bus (0 in Avro's
   * defaults) must mean "no limit on this resource", not "nothing allowed".
   */
  private static final double UNLIMITED = 1e15;

  private AllocatorAvro() {
  }

  static Resources resources(dev.kos.schema.Resources avro) {
    List<PortRange> ranges = avro.getPorts().stream().map(r -> new PortRange(r.getBegin(), r.getEnd())).toList();
    return new Resources(avro.getCpus(), avro.getMem(), avro.getDisk(), new Ports(ranges));
  }

  /** A reserve or unreserve operation of an accept, as the core's {@link ReservationRule} takes it. */
  static Operation reservationChange(Object operation) {
    if (operation instanceof ReserveOperation reserve) {
      return new Operation.Reserve(reserve.getRole(), resources(reserve.getResources()));
    }
    UnreserveOperation unreserve = (UnreserveOperation) operation;
    return new Operation.Unreserve(unreserve.getRole(), resources(unreserve.getResources()));
  }

  static dev.kos.schema.Resources avro(Resources resources) {
    return dev.kos.schema.Resources.newBuilder()
        .setCpus(resources.cpus()).setMem(resources.mem()).setDisk(resources.disk())
        .setPorts(resources.ports().ranges().stream()
            .map(r -> dev.kos.schema.PortRange.newBuilder().setBegin(r.begin()).setEnd(r.end()).build()).toList())
        .build();
  }

  static AgentSpec agent(AgentReport report) {
    Map<String, Resources> reservations = new HashMap<>();
    for (Reservation reservation : report.getReservations()) {
      reservations.merge(reservation.getRole(), resources(reservation.getResources()), Resources::plus);
    }
    return new AgentSpec(report.getAgentId(), report.getHostname(), resources(report.getTotal()), reservations,
        report.getAttributes(), report.getDraining());
  }

  static FrameworkSpec framework(FrameworkInfo info) {
    return new FrameworkSpec(info.getFrameworkId(), info.getRole(), info.getWeight(), info.getSuppressed());
  }

  static RoleConfig role(RoleInfo info) {
    RoleConfig config = RoleConfig.defaults(info.getRole()).withWeight(info.getWeight()).withPriority(info.getPriority());
    if (info.getGuarantee() != null) {
      config = config.withGuarantee(resources(info.getGuarantee()));
    }
    if (info.getLimit() != null) {
      dev.kos.schema.Resources limit = info.getLimit();
      config = config.withLimit(new Resources(orUnlimited(limit.getCpus()), orUnlimited(limit.getMem()),
          orUnlimited(limit.getDisk()), Ports.NONE));
    }
    if (info.getMaxClusterUtilization() != null) {
      config = config.withMaxClusterUtilization(info.getMaxClusterUtilization());
    }
    return config;
  }

  static dev.kos.schema.Offer avro(Offer offer) {
    List<Reservation> reserved = offer.reserved().isEmpty()
        ? List.of()
        : List.of(Reservation.newBuilder().setRole(offer.role()).setResources(avro(offer.reserved())).build());
    return dev.kos.schema.Offer.newBuilder()
        .setOfferId(offer.offerId()).setFrameworkId(offer.frameworkId()).setAgentId(offer.agentId())
        .setHostname(offer.hostname()).setResources(avro(offer.unreserved())).setReservations(reserved)
        .setAttributes(offer.attributes()).setCreatedAt(offer.createdAt()).setExpiresAt(offer.expiresAt())
        .build();
  }

  private static double orUnlimited(double value) {
    return value > 0 ? value : UNLIMITED;
  }
}
