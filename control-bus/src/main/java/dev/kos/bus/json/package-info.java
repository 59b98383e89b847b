/**
 * JSON for people, Avro for the bus: the codec behind {@code kos publish --json} and
 * {@code kos events --json}.
 *
 * <p>{@link dev.kos.bus.json.JsonToAvro} reads a friendly JSON dialect, not Avro's strict JSON
 * encoding, because the JSON is written by hand:
 * <ul>
 *   <li>a record is an object by field name; a missing field takes the schema default, a
 *       missing field without a default and an unknown field are errors;</li>
 *   <li>a nullable union {@code ["null", X]} is {@code null} or X's plain value;</li>
 *   <li>any other union is a one-key object naming its branch, {@code {"ScaleApp": {...}}},
 *       by short name, full name ({@code "dev.kos.schema.ScaleApp"}) or, for unnamed types,
 *       type name ({@code "string"}). Avro's wrapped form is accepted for nullable unions too,
 *       so a one-key object whose key names a branch is always read as that branch;</li>
 *   <li>an enum is its symbol; int and long must be whole numbers in range (5.0 is 5, 1.5 is
 *       an error); float and double take any number, and the strings {@code "NaN"},
 *       {@code "Infinity"} and {@code "-Infinity"} that JSON has no literal for;</li>
 *   <li>bytes and fixed are base64 strings (RFC 4648, with padding): binary such as a
 *       dead letter's payload stays printable and copyable, which Avro's ISO-8859-1 rendering
 *       of arbitrary bytes is not;</li>
 *   <li>a {@code timestamp-millis} long is epoch milliseconds or an ISO-8601 instant such as
 *       {@code "2025-01-31T12:00:00Z"} (an offset like {@code +01:00} is accepted; precision
 *       finer than a millisecond is an error rather than silently dropped).</li>
 * </ul>
 *
 * <p>Every problem is reported, not just the first, as a {@link dev.kos.bus.json.Violation}
 * that names the JSON path, the expected Avro type and what was found.
 *
 * <p>{@link dev.kos.bus.json.AvroToJson} writes the same dialect back, so its output reads
 * back into an equal record.
 */
package dev.kos.bus.json;
