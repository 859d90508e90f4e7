package io.bpfscope.sql;

import java.sql.SQLException;

/**
 * A query DuckDB rejects before anything is loaded (a syntax error, a column
 * that does not exist): DuckDB's own message, as running the query gives it.
 */
public final class QueryRefusedException extends SQLException {
    QueryRefusedException(SQLException duckDb) {
        super(duckDb.getMessage(), duckDb);
    }
}
