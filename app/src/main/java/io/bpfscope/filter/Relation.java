package io.bpfscope.filter;

/** The comparison operators, as the parser reads them ({@code ==} or {@code eq}...). */
enum Relation {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    final String symbol;

    Relation(String symbol) {
        this.symbol = symbol;
    }

    /** Whether a {@code compare(value, literal)} result satisfies this relation. */
    boolean holds(int comparison) {
        return switch (this) {
            case EQ -> comparison == 0;
            case NE -> comparison != 0;
            case LT -> comparison < 0;
            case LE -> comparison <= 0;
            case GT -> comparison > 0;
            case GE -> comparison >= 0;
        };
    }
}
