package einhorn.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC §5.6: argument errors name Ruby's classes and show values the way the reference did. */
class RubyTypesTest {
    @Test
    void typeNames() {
        assertThat(RubyTypes.typeName(3L)).isEqualTo("Integer");
        assertThat(RubyTypes.typeName(3)).isEqualTo("Integer");
        assertThat(RubyTypes.typeName(BigInteger.TEN.pow(30))).isEqualTo("Integer");
        assertThat(RubyTypes.typeName(1.5)).isEqualTo("Float");
        assertThat(RubyTypes.typeName(true)).isEqualTo("TrueClass");
        assertThat(RubyTypes.typeName(false)).isEqualTo("FalseClass");
        assertThat(RubyTypes.typeName(null)).isEqualTo("NilClass");
        assertThat(RubyTypes.typeName(Map.of())).isEqualTo("Hash");
        assertThat(RubyTypes.typeName(List.of())).isEqualTo("Array");
        assertThat(RubyTypes.typeName("s")).isEqualTo("String");
    }

    @Test
    void inspectedValues() {
        assertThat(RubyTypes.inspect(3L)).isEqualTo("3");
        assertThat(RubyTypes.inspect(1.5)).isEqualTo("1.5");
        assertThat(RubyTypes.inspect(2.0)).isEqualTo("2.0");
        assertThat(RubyTypes.inspect(true)).isEqualTo("true");
        assertThat(RubyTypes.inspect(false)).isEqualTo("false");
        assertThat(RubyTypes.inspect(null)).isEqualTo("nil");
        assertThat(RubyTypes.inspect("a\"b")).isEqualTo("\"a\\\"b\"");
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("a", List.of(1L, "x"));
        assertThat(RubyTypes.inspect(m)).isEqualTo("{\"a\":[1,\"x\"]}");
        assertThat(RubyTypes.inspect(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
    }

    @Test
    void theSpecExampleMessage() {
        Object arg = 3L;
        assertThat("Argument is a " + RubyTypes.typeName(arg) + ", not a string: " + RubyTypes.inspect(arg))
                .isEqualTo("Argument is a Integer, not a string: 3");
    }
}
