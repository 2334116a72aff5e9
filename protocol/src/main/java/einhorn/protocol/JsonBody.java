package einhorn.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;

/**
 * Strict JSON for bodies that start with '{'. JSON is nearly YAML flow, but YAML 1.1 lacks the {@code \/}
 * escape and surrogate-pair escapes, which JSON clients do send; so such bodies are read as JSON first.
 * Numbers come out as Long/BigInteger/Double, like the YAML path.
 */
final class JsonBody {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(TreeBuilder.MAX_DEPTH)
                    .maxNumberLength(Scalars.MAX_NUMBER_CHARS)
                    .build())
            .build();

    private JsonBody() {}

    /** The value, or null if {@code text} is not one complete JSON value (the caller then tries YAML). */
    static Parsed read(String text) throws ParseException {
        TreeBuilder tree = new TreeBuilder();
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (tree.done()) return null; // trailing content
                switch (t) {
                    case START_OBJECT -> tree.startMap(null);
                    case START_ARRAY -> tree.startSeq(null);
                    case END_OBJECT, END_ARRAY -> tree.end();
                    case FIELD_NAME, VALUE_STRING -> tree.scalar(p.getText(), null);
                    case VALUE_NUMBER_INT -> tree.scalar(integer(p), null);
                    case VALUE_NUMBER_FLOAT -> tree.scalar(p.getDoubleValue(), null);
                    case VALUE_TRUE -> tree.scalar(Boolean.TRUE, null);
                    case VALUE_FALSE -> tree.scalar(Boolean.FALSE, null);
                    case VALUE_NULL -> tree.scalar(null, null);
                    default -> {
                        return null;
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return tree.done() ? new Parsed(tree.root()) : null;
    }

    private static Object integer(JsonParser p) throws IOException {
        return switch (p.getNumberType()) {
            case INT, LONG -> p.getLongValue();
            default -> {
                var big = p.getBigIntegerValue();
                yield big.bitLength() < 64 ? (Object) big.longValue() : big;
            }
        };
    }

    /** Distinguishes "parsed as JSON null" from "not JSON". */
    record Parsed(Object value) {}
}
