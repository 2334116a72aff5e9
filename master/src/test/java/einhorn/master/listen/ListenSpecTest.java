package einhorn.master.listen;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenSpecTest {
    @Test
    void flagsAreCaseInsensitiveAndKeptAsWritten() {
        ListenSpec s = ListenSpec.parse("127.0.0.1:8080,R,O_NONBLOCK");
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.reuseAddr()).isTrue();
        assertThat(s.nonBlock()).isTrue();
        assertThat(s.flags()).containsExactly("R", "O_NONBLOCK");
    }

    @Test
    void portRangeIsZeroTo65535() {
        assertThat(ListenSpec.parse("localhost:0").port()).isZero();
        assertThat(ListenSpec.parse("localhost:65535").port()).isEqualTo(65535);
        assertThatThrownBy(() -> ListenSpec.parse("localhost:65536")).hasMessageContaining("65536");
        assertThatThrownBy(() -> ListenSpec.parse("localhost:")).hasMessageContaining("port");
    }

    @Test
    void unknownFlagsAndReservedFormsAreRejected() {
        assertThatThrownBy(() -> ListenSpec.parse("127.0.0.1:80,rn"))
                .hasMessageContaining("\"rn\"").hasMessageContaining("r, so_reuseaddr, n, o_nonblock");
        assertThatThrownBy(() -> ListenSpec.parse("127.0.0.1:80,")).hasMessageContaining("flag");
        assertThatThrownBy(() -> ListenSpec.parse("[::1]:80")).hasMessageContaining("IPv6");
        assertThatThrownBy(() -> ListenSpec.parse("::1:80")).hasMessageContaining("IPv6");
        assertThatThrownBy(() -> ListenSpec.parse("/tmp/sock")).hasMessageContaining("UNIX");
        assertThatThrownBy(() -> ListenSpec.parse(":80")).hasMessageContaining("host");
    }
}
