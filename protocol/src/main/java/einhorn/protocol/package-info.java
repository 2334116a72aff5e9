/**
 * The command-socket protocol (SPEC §5), shared by the master and einhornsh.
 *
 * <p>A connection carries lines. {@link einhorn.protocol.LineBuffer} turns a connection's bytes into lines;
 * {@link einhorn.protocol.Framing} turns a line into a message body and back ({@code %} and newline are the
 * only escapes). A request body is YAML 1.1 or one-line JSON, read by {@link einhorn.protocol.Yaml11} into
 * plain Java values (maps, lists, strings, Long, Double, Boolean, null) without ever running a constructor:
 * SnakeYAML only tokenises, and a small tree builder enforces tag, depth and alias limits. A reply is a
 * {@link einhorn.protocol.Reply}, written as compact JSON by {@link einhorn.protocol.Json} with an escape set
 * that both JSON and YAML 1.1 readers accept, so the reference's clients still understand it. The
 * {@code state} command's trees use {@link einhorn.protocol.Sym} and {@link einhorn.protocol.Timestamp} for
 * Ruby symbols and times, and {@link einhorn.protocol.StateYaml} writes them as YAML Ruby can load.
 */
package einhorn.protocol;
