package einhorn.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SPEC §5.5: the reply line and the order of its keys. */
class ReplyTest {
    @Test
    void aFinalReplyWithAnId() {
        assertThat(Reply.of("Verbosity set to 2", 21L).toLine()).isEqualTo("{\"message\":\"Verbosity set to 2\",\"request_id\":21}\n");
    }

    @Test
    void aReplyWithoutAnIdHasNoRequestId() {
        assertThat(Reply.of("Reloading, as commanded", null).toLine()).isEqualTo("{\"message\":\"Reloading, as commanded\"}\n");
    }

    @Test
    void errorsCarryErrorTrueLast() {
        assertThat(Reply.error("Could not parse command", null).toLine())
                .isEqualTo("{\"message\":\"Could not parse command\",\"error\":true}\n");
        assertThat(Reply.error("No args provided", "x").toLine())
                .isEqualTo("{\"message\":\"No args provided\",\"request_id\":\"x\",\"error\":true}\n");
    }

    @Test
    void streamMessagesCarryWaitBeforeError() {
        assertThat(Reply.progress("Starting upgrade", 3L).toLine())
                .isEqualTo("{\"message\":\"Starting upgrade\",\"request_id\":3,\"wait\":true}\n");
        assertThat(new Reply("m", 1L, true, true).toLine())
                .isEqualTo("{\"message\":\"m\",\"request_id\":1,\"wait\":true,\"error\":true}\n");
    }

    @Test
    void requestIdsKeepTheirType() {
        assertThat(Reply.of("m", 1.5).toJson()).isEqualTo("{\"message\":\"m\",\"request_id\":1.5}");
        assertThat(Reply.of("m", true).toJson()).isEqualTo("{\"message\":\"m\",\"request_id\":true}");
        assertThat(Reply.of("m", "id-1").toJson()).isEqualTo("{\"message\":\"m\",\"request_id\":\"id-1\"}");
    }

    @Test
    void theLineIsFramedSoPercentAndNewlinesSurvive() {
        String line = Reply.of("100%\n", null).toLine();
        assertThat(line).isEqualTo("{\"message\":\"100%25\\n\"}\n");
        assertThat(Framing.decode(line.substring(0, line.length() - 1))).isEqualTo("{\"message\":\"100%\\n\"}");
    }
}
