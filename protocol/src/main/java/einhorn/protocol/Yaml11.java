package einhorn.protocol;

/**
 * Reads one request body (SPEC §5.3): YAML 1.1, or a one-line JSON object (see {@link JsonBody} for why
 * JSON gets its own reader), safely. Explicit tags other than the core scalar and collection tags are
 * refused, as are alias bombs and absurd nesting; nothing but {@link ParseException} escapes.
 *
 * <p>Results are {@code LinkedHashMap<Object,Object>}, {@code ArrayList<Object>}, String, Long, BigInteger,
 * Double, Boolean or null. Plain scalar keys stay strings as written ({@code 1: a} has the key {@code "1"});
 * only an explicitly tagged key is converted. {@code <<} merge keys are ordinary keys.
 */
public final class Yaml11 {
    private Yaml11() {}

    public static Object parse(String text) throws ParseException {
        try {
            if (startsWithBrace(text)) {
                JsonBody.Parsed json = JsonBody.read(text);
                if (json != null) return json.value();
            }
            return YamlBody.read(text);
        } catch (ParseException e) {
            throw e;
        } catch (StackOverflowError | OutOfMemoryError e) {
            throw new ParseException("document too complex", e);
        } catch (RuntimeException e) {
            throw new ParseException(firstLine(e.getMessage()), e);
        }
    }

    private static boolean startsWithBrace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') return true;
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
        }
        return false;
    }

    private static String firstLine(String message) {
        if (message == null) return "malformed document";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
