package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.model.Operation;
import dev.kos.model.Operation.Reserve;
import dev.kos.model.Operation.Unreserve;
import dev.kos.model.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per case of an accept that reserves or unreserves. Each starts from agent a1 (4 cpus, 4096 MB) offered
 * whole to framework f1 of role web, and agent a2 offered to f2; the row's accept names offers ({@code own}: f1's
 * offer on a1, {@code other}: f2's, {@code gone}: none) and changes, and gives what the shell is told and the
 * next offer f1 gets on a1.
 */
class ReservationRuleTest {

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("a reservation within the free resources is made; the next offer holds it",
            List.of("own"), List.of(new Reserve("web", Resources.of(2, 2048))),
            "used, volumes go", "f1@a1 4/4096 [reserved 2/2048]"),
        Arguments.of("reserving and unreserving the same returns it",
            List.of("own"), List.of(new Reserve("web", Resources.of(2, 2048)),
                new Unreserve("web", Resources.of(2, 2048))),
            "used, volumes go", "f1@a1 4/4096"),
        Arguments.of("reserving more than is free is refused; the offer is used up all the same",
            List.of("own"), List.of(new Reserve("web", Resources.of(8, 2048))),
            "used, refused: only free unreserved resources can be reserved", "f1@a1 4/4096"),
        Arguments.of("unreserving what was never reserved is refused",
            List.of("own"), List.of(new Unreserve("web", Resources.of(1, 512))),
            "used, refused: only free, dynamically reserved resources of the role can be unreserved", "f1@a1 4/4096"),
        Arguments.of("the first refusal is the one reported, and later changes still apply",
            List.of("own"), List.of(new Reserve("web", Resources.of(8, 1)),
                new Unreserve("web", Resources.of(1, 1)), new Reserve("web", Resources.of(1, 1024))),
            "used, refused: only free unreserved resources can be reserved", "f1@a1 4/4096 [reserved 1/1024]"),
        Arguments.of("an offer made to another framework changes nothing",
            List.of("other"), List.of(new Reserve("web", Resources.of(2, 2048))),
            "not outstanding [other]", "f1@a1 4/4096 (kept)"),
        Arguments.of("an offer not outstanding any more changes nothing",
            List.of("own", "gone"), List.of(new Reserve("web", Resources.of(2, 2048))),
            "not outstanding [gone]", "f1@a1 4/4096 (kept)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldApplyAnAcceptsReservationChanges(String name, List<String> offers, List<Operation> changes,
      String expectedOutcome, String expectedNextOffer) {
    AllocatorHarness h = AllocatorHarness.create().framework("f1", "web").agent("a1", 4, 4096);
    h.round();
    h.framework("f2", "batch").agent("a2", 4, 4096);
    h.round();
    Map<String, String> ids = Map.of("own", h.offer("f1", "a1").offerId(), "other", h.offer("f2", "a2").offerId(),
        "gone", "o-gone");
    Map<String, Offer> outstanding = new HashMap<>();
    h.allocator.outstandingOffers().forEach(offer -> outstanding.put(offer.offerId(), offer));
    List<String> offerIds = offers.stream().map(ids::get).toList();

    ReservationRule.Outcome outcome = ReservationRule.apply(h.allocator, "f1", "a1", offerIds, outstanding, changes,
        h.now);

    assertThat(describe(outcome, ids)).isEqualTo(expectedOutcome);
    if (outcome.offersUsed()) {
      assertThat(outcome.dropReason()).contains("uses up its offers");
      h.round();
      assertThat(AllocatorHarness.describe(h.offer("f1", "a1"))).isEqualTo(expectedNextOffer);
    } else {
      assertThat(outcome.dropReason()).contains("not outstanding to framework f1");
      assertThat(AllocatorHarness.describe(h.offer("f1", "a1")) + " (kept)").isEqualTo(expectedNextOffer);
      assertThat(h.offer("f1", "a1").offerId()).isEqualTo(ids.get("own"));
    }
  }

  /**
   * A reservation change rescinds every other offer outstanding on its agent (their resources are counted anew); the
   * shell must hear of those rescinds, or the frameworks holding them launch on offers the allocator forgot.
   */
  @Test
  void shouldRescindTheOtherOffersOnTheAgent() {
    AllocatorHarness h = AllocatorHarness.create()
        .role(RoleConfig.defaults("web").withLimit(Resources.of(2, 4096)))
        .role(RoleConfig.defaults("batch").withLimit(Resources.of(2, 4096)))
        .framework("f1", "web").framework("f2", "batch").agent("a1", 4, 8192);
    h.round();
    String own = h.offer("f1", "a1").offerId();
    String other = h.offer("f2", "a1").offerId();

    ReservationRule.Outcome outcome = ReservationRule.apply(h.allocator, "f1", "a1", List.of(own),
        Map.of(own, h.offer("f1", "a1"), other, h.offer("f2", "a1")),
        List.of(new Reserve("web", Resources.of(1, 1024))), h.now);

    assertThat(outcome.decisions().rescinds()).extracting(Rescind::offerId).containsExactly(other);
  }

  /** The accept names the agent to reserve on; an offer of another agent does not entitle a framework to it. */
  @Test
  void shouldNotReserveOnAnAgentTheOffersAreNotOf() {
    AllocatorHarness h = AllocatorHarness.create().framework("f1", "web").agent("a1", 4, 4096);
    h.round();
    h.framework("f2", "batch").agent("a2", 4, 4096);
    h.round();
    String own = h.offer("f1", "a1").offerId();
    Map<String, Offer> outstanding = new HashMap<>();
    h.allocator.outstandingOffers().forEach(offer -> outstanding.put(offer.offerId(), offer));

    ReservationRule.Outcome outcome = ReservationRule.apply(h.allocator, "f1", "a2", List.of(own), outstanding,
        List.of(new Reserve("web", Resources.of(2, 2048))), h.now);

    assertThat(outcome.notOutstanding()).containsExactly(own);
    assertThat(outcome.dropReason()).contains("not outstanding to framework f1 on agent a2");
    assertThat(AllocatorHarness.describe(h.offer("f2", "a2"))).as("f2's offer on a2 stands").isEqualTo("f2@a2 4/4096");
  }

  /** The rule speaks the model's operations; any but reserve and unreserve are the shell's, never the rule's. */
  @Test
  void shouldRefuseAnOperationThatChangesNoReservation() {
    AllocatorHarness h = AllocatorHarness.create().framework("f1", "web").agent("a1", 4, 4096);
    h.round();
    String own = h.offer("f1", "a1").offerId();

    assertThatThrownBy(() -> ReservationRule.apply(h.allocator, "f1", "a1", List.of(own),
        Map.of(own, h.offer("f1", "a1")), List.of(new Operation.DestroyVolume("v1", "web")), h.now))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserve and unreserve operations only");
    assertThat(h.offer("f1", "a1").offerId()).as("the offer stands").isEqualTo(own);
  }

  private static String describe(ReservationRule.Outcome outcome, Map<String, String> ids) {
    if (!outcome.offersUsed()) {
      return "not outstanding " + outcome.notOutstanding().stream()
          .map(id -> ids.entrySet().stream().filter(e -> e.getValue().equals(id)).findFirst().orElseThrow().getKey())
          .toList();
    }
    String refused = outcome.refused().map(r -> ", refused: " + ((Rejection.ReservationRefused) r).why())
        .orElse("");
    return "used" + refused + (outcome.volumesGo() ? ", volumes go" : "");
  }
}
