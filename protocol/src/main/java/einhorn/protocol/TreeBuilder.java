package einhorn.protocol;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a value tree from a stream of parse events without recursion, enforcing the limits that keep a
 * hostile request cheap: a nesting depth, and a budget for the nodes that aliases expand to (billion laughs).
 * Aliases share the anchored object; the budget counts what a reader walking the tree would visit.
 */
final class TreeBuilder {
    static final int MAX_DEPTH = 512;
    static final long MAX_ALIAS_EXPANSION = 10_000;

    private static final class Open {
        final Object container; // LinkedHashMap<Object, Object> or ArrayList<Object>
        final String anchor;
        long size = 1;          // nodes in this subtree, aliases expanded
        Object pendingKey;
        boolean hasKey;

        Open(Object container, String anchor) {
            this.container = container;
            this.anchor = anchor;
        }
    }

    private record Anchored(Object value, long size) {}

    private final ArrayDeque<Open> stack = new ArrayDeque<>();
    private final Map<String, Anchored> anchors = new HashMap<>();
    private long aliasExpansion;
    private Object root;
    private boolean done;

    void startMap(String anchor) throws ParseException {
        push(new Open(new LinkedHashMap<>(), anchor));
    }

    void startSeq(String anchor) throws ParseException {
        push(new Open(new ArrayList<>(), anchor));
    }

    void end() throws ParseException {
        Open top = stack.poll();
        if (top == null) throw new ParseException("unbalanced end of collection");
        if (top.hasKey) throw new ParseException("mapping key without a value");
        add(top.container, top.size, top.anchor);
    }

    void scalar(Object value, String anchor) throws ParseException {
        add(value, 1, anchor);
    }

    void alias(String name) throws ParseException {
        Anchored a = anchors.get(name);
        if (a == null) throw new ParseException("unknown or recursive alias *" + name);
        aliasExpansion += a.size;
        if (aliasExpansion > MAX_ALIAS_EXPANSION) {
            throw new ParseException("aliases expand to more than " + MAX_ALIAS_EXPANSION + " nodes");
        }
        add(a.value, a.size, null);
    }

    /** True when the next value completes nothing but is a mapping key. */
    boolean atKey() {
        Open parent = stack.peek();
        return parent != null && parent.container instanceof Map<?, ?> && !parent.hasKey;
    }

    boolean inMap() {
        Open parent = stack.peek();
        return parent != null && parent.container instanceof Map<?, ?>;
    }

    boolean inSeq() {
        Open parent = stack.peek();
        return parent != null && parent.container instanceof List<?>;
    }

    /** True once the root value is complete. */
    boolean done() {
        return done;
    }

    Object root() {
        return root;
    }

    private void push(Open open) throws ParseException {
        if (done) throw new ParseException("more than one root value");
        if (stack.size() >= MAX_DEPTH) throw new ParseException("nested deeper than " + MAX_DEPTH + " levels");
        stack.push(open);
    }

    @SuppressWarnings("unchecked")
    private void add(Object value, long size, String anchor) throws ParseException {
        if (anchor != null) anchors.put(anchor, new Anchored(value, size));
        Open parent = stack.peek();
        if (parent == null) {
            if (done) throw new ParseException("more than one root value");
            root = value;
            done = true;
            return;
        }
        parent.size = Math.min(parent.size + size, Long.MAX_VALUE / 2);
        if (parent.container instanceof List<?> list) {
            ((List<Object>) list).add(value);
        } else if (!parent.hasKey) {
            parent.pendingKey = value;
            parent.hasKey = true;
        } else {
            ((Map<Object, Object>) parent.container).put(parent.pendingKey, value);
            parent.pendingKey = null;
            parent.hasKey = false;
        }
    }
}
