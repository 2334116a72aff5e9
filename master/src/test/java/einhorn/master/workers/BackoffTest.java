package einhorn.master.workers;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void intervalGrowsByHalfPerUnackedDeathUpToThirtySeconds() {
        assertThat(Replenish.interval(1.0, 0)).isEqualTo(1_000_000_000L);
        assertThat(Replenish.interval(1.0, 1)).isEqualTo(1_500_000_000L);
        assertThat(Replenish.interval(1.0, 2)).isEqualTo(2_250_000_000L);
        assertThat(Replenish.interval(1.0, 3)).isEqualTo(3_375_000_000L);
        assertThat(Replenish.interval(1.0, 9)).isEqualTo(30_000_000_000L);
        assertThat(Replenish.interval(0.2, 100_000)).isEqualTo(30_000_000_000L);
    }

    @Test
    void intervalNeverShrinksAsDeathsGrow() {
        long prev = 0;
        for (int d = 0; d < 50; d++) {
            long i = Replenish.interval(0.5, d);
            assertThat(i).isGreaterThanOrEqualTo(prev);
            prev = i;
        }
    }
}
