package einhorn.posix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrnoExceptionTest {
    @Test
    void messageIsCallAndStrerrorText() {
        ErrnoException e = new ErrnoException("bind", ErrnoException.EADDRINUSE);
        assertThat(e.getMessage()).isEqualTo("bind: Address already in use");
        assertThat(e.call()).isEqualTo("bind");
        assertThat(e.errno()).isEqualTo(98);
    }

    @Test
    void knowsTheCommonTexts() {
        assertThat(new ErrnoException("kill", ErrnoException.ESRCH).getMessage())
                .isEqualTo("kill: No such process");
        assertThat(new ErrnoException("connect", ErrnoException.ECONNREFUSED).getMessage())
                .isEqualTo("connect: Connection refused");
        assertThat(new ErrnoException("x", ErrnoException.EAGAIN).getMessage())
                .isEqualTo("x: Resource temporarily unavailable");
        assertThat(new ErrnoException("x", 133).getMessage())
                .isEqualTo("x: Memory page has hardware error");
    }

    @Test
    void unknownErrnoStillHasAMessage() {
        assertThat(new ErrnoException("x", 4242).getMessage()).isEqualTo("x: Unknown error 4242");
        assertThat(new ErrnoException("x", -1).getMessage()).isEqualTo("x: Unknown error -1");
    }
}
