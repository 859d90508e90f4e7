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
        switch (this) {
            case EQ:
                return comparison == 0;
            case NE:
                return comparison != 0;
            case LT:
                return comparison < 0;
            case LE:
                return comparison <= 0;
            case GT:
                return comparison > 0;
            default:
                return comparison >= 0;
        }
    }
}
