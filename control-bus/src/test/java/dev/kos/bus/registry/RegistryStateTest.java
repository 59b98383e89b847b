package dev.kos.bus.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.registry.RegistryState.Registration;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class RegistryStateTest {

  private static final Schema V1 = record("{\"name\":\"a\",\"type\":\"int\"}");
  private static final Schema V2_WITH_DEFAULT = record("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"}");
  private static final Schema V2_WITHOUT_DEFAULT = record("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"}");

  private final RegistryState state = new RegistryState();

  @Test
  void shouldGiveTheFirstSchemaIdOneAndVersionOne() {
    RegistryState.Version v = register("t-value", V1);

    assertThat(v.id()).isEqualTo(1);
    assertThat(v.version()).isEqualTo(1);
  }

  @Test
  void shouldFindAnAlreadyRegisteredSchemaInsteadOfAddingAVersion() {
    register("t-value", V1);

    assertThat(state.decide("t-value", V1)).isInstanceOf(Registration.Existing.class);
    assertThat(state.versions("t-value")).hasSize(1);
  }

  @Test
  void shouldReuseTheIdOfTheSameSchemaUnderAnotherSubject() {
    int first = register("a-value", V1).id();

    RegistryState.Version other = register("b-value", V1);

    assertThat(other.id()).isEqualTo(first);
    assertThat(other.version()).isEqualTo(1);
  }

  @Test
  void shouldAcceptABackwardCompatibleNewVersion() {
    register("t-value", V1);

    RegistryState.Version v2 = register("t-value", V2_WITH_DEFAULT);

    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.id()).isEqualTo(2);
    assertThat(state.latest("t-value")).contains(v2);
  }

  @Test
  void shouldRefuseANewFieldWithoutDefaultAndSayWhatToChange() {
    register("t-value", V1);

    Registration decision = state.decide("t-value", V2_WITHOUT_DEFAULT);

    assertThat(decision).isInstanceOfSatisfying(Registration.Incompatible.class, r -> assertThat(r.reason())
        .contains("not BACKWARD compatible with version 1")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("Give new fields a default"));
  }

  @Test
  void shouldApplyReplayedVersionsIdempotently() {
    RegistryState.Version v = new RegistryState.Version("t-value", 1, 7, V1);

    state.apply(v);
    state.apply(v);

    assertThat(state.versions("t-value")).containsExactly(v);
    assertThat(state.schemaById(7)).contains(V1);
    assertThat(register("u-value", V2_WITH_DEFAULT).id()).as("next id after a replayed one").isEqualTo(8);
  }

  private RegistryState.Version register(String subject, Schema schema) {
    Registration decision = state.decide(subject, schema);
    assertThat(decision).isInstanceOf(Registration.NewVersion.class);
    RegistryState.Version version = ((Registration.NewVersion) decision).version();
    state.apply(version);
    return version;
  }

  private static Schema record(String fields) {
    return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}");
  }
}
