package einhorn.protocol;

import java.io.StringReader;
import java.util.Iterator;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * The YAML 1.1 path of {@link Yaml11}. SnakeYAML only tokenises: its parse events feed our own
 * {@link TreeBuilder}, so no constructor ever runs, tags are checked against a short allow-list, and the
 * depth and alias-expansion limits hold. Only the first document is used, as the reference does, but the
 * whole text must be well-formed. Kept apart from {@link Yaml11} so that reading JSON never loads SnakeYAML.
 */
final class YamlBody {
    private static final String MAP = Scalars.TAG + "map";
    private static final String SEQ = Scalars.TAG + "seq";

    private YamlBody() {}

    static Object read(String text) throws ParseException {
        LoaderOptions options = new LoaderOptions();
        options.setProcessComments(false);
        options.setCodePointLimit(Math.max(3 * 1024 * 1024, text.length() + 1));
        Iterator<Event> events = eventIterator(new ParserImpl(new StreamReader(new StringReader(text)), options));
        TreeBuilder tree = new TreeBuilder();
        boolean first = true;
        while (events.hasNext()) {
            Event e = events.next();
            if (!first) continue; // later documents are checked for well-formedness only
            if (e instanceof ScalarEvent scalar) {
                tree.scalar(scalar(scalar, tree), scalar.getAnchor());
            } else if (e instanceof MappingStartEvent m) {
                collectionTag(m, MAP);
                tree.startMap(m.getAnchor());
            } else if (e instanceof SequenceStartEvent q) {
                collectionTag(q, SEQ);
                tree.startSeq(q.getAnchor());
            } else if (e instanceof AliasEvent a) {
                tree.alias(a.getAnchor());
            } else if (e.is(Event.ID.MappingEnd) || e.is(Event.ID.SequenceEnd)) {
                tree.end();
            } else if (e.is(Event.ID.DocumentEnd)) {
                first = false;
            }
        }
        return tree.root();
    }

    private static Object scalar(ScalarEvent s, TreeBuilder tree) throws ParseException {
        String tag = s.getTag();
        if (tag != null) return Scalars.tagged(tag, s.getValue());
        if (tree.atKey()) return s.getValue();
        if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) return s.getValue();
        return Scalars.plain(s.getValue());
    }

    private static void collectionTag(CollectionStartEvent e, String allowed) throws ParseException {
        String tag = e.getTag();
        if (tag != null && !tag.equals("!") && !tag.equals(allowed)) {
            throw new ParseException("tag " + tag + " is not allowed here");
        }
    }

    private static Iterator<Event> eventIterator(ParserImpl parser) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return parser.peekEvent() != null;
            }

            @Override
            public Event next() {
                return parser.getEvent();
            }
        };
    }
}
