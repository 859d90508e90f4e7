package io.bpfscope.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one query reads, as DuckDB's own parser sees it ({@code json_serialize_sql}):
 * the tables it names and the column names it mentions, so that a load for that
 * one query decodes and inserts only those ({@link CaptureDatabase#loadFor}).
 * Conservative: a star ({@code *}, {@code COLUMNS(...)}), a whole row ({@code
 * SELECT e FROM exec e}), a NATURAL join reads every column of the tables named;
 * a table function, a table in another schema, a statement that is not a SELECT,
 * anything the parse shows that is not known here reads everything. Names compare
 * without case, as DuckDB's do. Immutable.
 */
final class QueryReads {
    /** Reads every column of every table: a full load. */
    static final QueryReads EVERYTHING = new QueryReads(true, Set.of(), false, Set.of());

    /** The parts of a parse (objects with a string {@code type}, not expressions) this class understands. */
    private static final Set<String> KNOWN_NODES = Set.of("SELECT_NODE", "SET_OPERATION_NODE", "CTE_NODE",
            "RECURSIVE_CTE_NODE", "BASE_TABLE", "JOIN", "SUBQUERY", "EMPTY", "EXPRESSION_LIST", "ORDER_MODIFIER",
            "LIMIT_MODIFIER", "LIMIT_PERCENT_MODIFIER", "DISTINCT_MODIFIER", "ORDER_DEFAULT", "ASCENDING", "DESCENDING");
    /** Where the parse puts {@code ORDER BY ALL}: a star that means the select list, not a table's columns. */
    private static final java.util.regex.Pattern ORDER_BY_ALL = java.util.regex.Pattern.compile("\\.modifiers\\[\\d+]\\.orders\\[\\d+]\\.expression$");
    /** Schemas of the tables bpfscope makes ({@code memory} is the in-memory database's catalog). */
    private static final Set<String> OWN_SCHEMAS = Set.of("", "main", "memory");

    private final boolean everything;
    private final Set<String> tables;
    private final boolean allColumns;
    private final Set<String> columns;

    private QueryReads(boolean everything, Set<String> tables, boolean allColumns, Set<String> columns) {
        this.everything = everything;
        this.tables = tables;
        this.allColumns = allColumns;
        this.columns = columns;
    }

    /** Throws DuckDB's own message for a query its parser rejects: preparing parses the whole text and runs nothing. */
    private static void refuseAsDuckDb(Connection connection, String query) throws QueryRefusedException {
        try (PreparedStatement unparsable = connection.prepareStatement(query)) {
            // parsed after all: a full load will run it
        } catch (SQLException e) {
            throw new QueryRefusedException(e);
        }
    }

    /**
     * What {@code query} reads, by DuckDB's parser on {@code connection}.
     *
     * @throws QueryRefusedException when DuckDB rejects the query already over the empty tables (a syntax
     *                 error, a column that does not exist): its message, as running the query gives it
     */
    static QueryReads of(Connection connection, String query) throws SQLException {
        try {
            return parse(connection, query);
        } catch (QueryRefusedException refused) {
            throw refused;
        } catch (SQLException | RuntimeException e) {
            return EVERYTHING; // a parse this class does not read as it expects: a full load, as before
        }
    }

    private static QueryReads parse(Connection connection, String query) throws SQLException {
        String parsed;
        try (PreparedStatement serialize = connection.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            serialize.setString(1, query);
            try (ResultSet result = serialize.executeQuery()) {
                result.next();
                parsed = result.getString(1);
            }
        } catch (SQLException e) {
            return EVERYTHING; // the JSON extension missing, or the like: a full load, as before
        }
        boolean oneStatement;
        try (PreparedStatement errors = connection.prepareStatement("SELECT coalesce(j->>'error', 'true') = 'true',"
                + " j->>'error_type', json_array_length(j->'statements') = 1 FROM (SELECT ?::JSON AS j)")) {
            errors.setString(1, parsed);
            try (ResultSet result = errors.executeQuery()) {
                result.next();
                if (result.getBoolean(1)) {
                    if ("parser".equals(result.getString(2))) {
                        refuseAsDuckDb(connection, query);
                    }
                    return EVERYTHING; // not a SELECT (CREATE, COPY, PIVOT, ...): as before
                }
                oneStatement = result.getBoolean(3);
            }
        }
        if (oneStatement) {
            // Bound over the empty tables: a column or function that does not exist fails now, before any loading.
            // Not with several statements: DuckDB's JDBC prepare runs all but the last.
            try (PreparedStatement bound = connection.prepareStatement(query)) {
                // binds: nothing to do
            } catch (SQLException e) {
                String message = e.getMessage() == null ? "" : e.getMessage();
                if (message.startsWith("Binder Error") || message.startsWith("Catalog Error") && !message.contains("Table with name")) {
                    throw new QueryRefusedException(e); // a column, a function that does not exist
                }
                // a table not there yet (a probe declared later in the file), or the like: the query will tell
            }
        }
        Set<String> tables = new HashSet<>();
        Set<String> tableNamesAndAliases = new HashSet<>();
        Set<String> columns = new HashSet<>();
        List<List<String>> columnRefs = new ArrayList<>();
        boolean allColumns = false;
        // Only the objects (t), by a CASE: DuckDB may run a filter's terms in any order, and ->> fails on some arrays.
        try (PreparedStatement nodes = connection.prepareStatement("SELECT t->>'type', t->>'class', t->>'table_name',"
                + " coalesce(t->>'schema_name', ''), coalesce(t->>'catalog_name', ''), t->>'alias',"
                + " t->>'ref_type', CAST(t->'column_names' AS VARCHAR[]), CAST(t->'using_columns' AS VARCHAR[]), fullkey"
                + " FROM (SELECT CASE WHEN type = 'OBJECT' THEN value END AS t, fullkey FROM json_tree(?::JSON))"
                + " WHERE json_type(t->'type') = 'VARCHAR'")) {
            nodes.setString(1, parsed);
            try (ResultSet result = nodes.executeQuery()) {
                while (result.next()) {
                    String type = result.getString(1);
                    String expressionClass = result.getString(2);
                    if (expressionClass != null) {
                        if (expressionClass.equals("STAR")) {
                            allColumns |= !ORDER_BY_ALL.matcher(result.getString(10)).find(); // ORDER BY ALL: the select list's
                        } else if (expressionClass.equals("COLUMN_REF")) {
                            List<String> names = lower(result.getArray(8));
                            columnRefs.add(names);
                            columns.addAll(names); // every part: a.b may be table a's b or column a's field b
                        }
                        continue;
                    }
                    if (!KNOWN_NODES.contains(type)) {
                        return EVERYTHING; // a table function, PIVOT, SHOW, ...
                    }
                    if (type.equals("BASE_TABLE")) {
                        if (!OWN_SCHEMAS.contains(lower(result.getString(4))) || !OWN_SCHEMAS.contains(lower(result.getString(5)))) {
                            return EVERYTHING; // information_schema, duckdb's catalog views: they may count rows
                        }
                        String table = lower(result.getString(3));
                        tables.add(table);
                        tableNamesAndAliases.add(table);
                    }
                    if (type.equals("JOIN")) {
                        allColumns |= "NATURAL".equals(result.getString(7)); // joins on every column both sides have
                        columns.addAll(lower(result.getArray(9)));
                    }
                    String alias = result.getString(6);
                    if (alias != null && !alias.isEmpty()) {
                        tableNamesAndAliases.add(lower(alias));
                    }
                }
            }
        }
        for (List<String> names : columnRefs) { // SELECT e FROM exec e: the whole row, a struct of every column
            allColumns |= !names.isEmpty() && tableNamesAndAliases.contains(names.get(names.size() - 1));
        }
        return new QueryReads(false, Set.copyOf(tables), allColumns, Set.copyOf(columns));
    }

    /** Whether this reads everything: a full load. */
    boolean everything() {
        return everything;
    }

    /** Whether the query reads {@code table}: it names it, or the {@code events} view over every table. */
    boolean reads(ProbeTable table) {
        return everything || tables.contains("events") || tables.contains(lower(table.name()));
    }

    /**
     * The columns of {@code table} to load: those the query names, in the
     * table's order; {@code seq} alone where it names none (every row must be
     * there for {@code count(*)}).
     */
    List<ProbeTable.Column> columnsOf(ProbeTable table) {
        if (everything || allColumns) {
            return table.columns();
        }
        List<ProbeTable.Column> read = table.columns().stream().filter(c -> columns.contains(lower(c.name()))).toList();
        return read.isEmpty() ? List.of(table.columns().get(0)) : read;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static List<String> lower(java.sql.Array array) throws SQLException {
        List<String> names = new ArrayList<>();
        if (array != null) {
            for (Object name : (Object[]) array.getArray()) {
                names.add(lower(String.valueOf(name)));
            }
        }
        return names;
    }

    @Override
    public String toString() {
        return everything ? "everything" : "tables " + tables + ", columns " + (allColumns ? "all" : columns);
    }
}
