package io.bpfscope.cli;

import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.sql.CaptureDatabase;
import io.bpfscope.sql.ProbeTable;
import io.bpfscope.sql.QueryRefusedException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfscope sql FILE... QUERY}: the captures loaded into an embedded
 * DuckDB (each event with its capture's host), one query, its rows as a text
 * table, CSV or JSON Lines. {@code --tables} lists the tables instead. Only what
 * the query reads is loaded ({@link CaptureDatabase#loadFor}; {@code --load-all},
 * hidden, loads everything, to compare). A query DuckDB refuses is one line with
 * DuckDB's message, exit 2, before any loading where the empty tables show it. DuckDB is loaded
 * only here and by the Parquet export (package {@code io.bpfscope.sql}).
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Query captures with SQL (DuckDB). Tables: events (every event: seq, time, host, probe, pid, tid,"
                + " uid, comm, summary, payload, payload_len, truncated) and one per probe with its fields (--tables).",
                "Example: bpfscope sql x.bscap \"SELECT comm, count(*) FROM open WHERE path LIKE '/etc/%%' GROUP BY comm ORDER BY 2 DESC\""})
public final class SqlCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE... QUERY",
            description = "Captures (.bscap, - for stdin), then the query (not with --tables).")
    List<String> arguments;

    @Option(names = "--tables", description = "List the tables, their rows and columns, instead of running a query.")
    boolean tables;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "table (default), csv or jsonl.")
    String format = "table";

    @Option(names = "--max-rows", paramLabel = "N", description = "Rows the text table shows at most (default ${DEFAULT-VALUE});"
            + " csv and jsonl write every row.")
    long maxRows = 1000;

    @Option(names = "--load-all", hidden = true, description = "Load every table and column, not only what the query reads"
            + " (to compare, and for bench sql).")
    boolean loadAll;

    @Override
    public Integer call() throws Exception {
        List<String> files = tables ? arguments : arguments.subList(0, arguments.size() - 1);
        if (files.isEmpty()) {
            throw new UserError(ExitCodes.USAGE, "give one or more captures, then the query (or --tables)");
        }
        if (files.stream().filter("-"::equals).count() > 1) {
            throw new UserError(ExitCodes.USAGE, "stdin (-) can be read once only");
        }
        String query = tables ? null : arguments.get(arguments.size() - 1);
        PrintStream stdout = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        SqlOutput output = tables ? null : SqlOutput.of(format, stdout);
        List<CaptureSource> sources = new ArrayList<>();
        try (CaptureDatabase database = CaptureDatabase.open()) {
            for (String file : files) {
                sources.add(CaptureSource.of(file, false));
            }
            CaptureDatabase.Loaded loaded;
            try {
                loaded = tables ? database.load(sources, record -> true, () -> false)
                        : database.loadFor(loadAll ? null : query, sources, () -> false); // only what the query reads
            } catch (QueryRefusedException e) {
                throw new UserError(ExitCodes.USAGE, "sql: " + CaptureDatabase.oneLine(e.getMessage()));
            }
            if (loaded.undecodable() > 0) {
                System.err.println("bpfscope: " + loaded.undecodable() + " records could not be decoded and are not in the tables (first: "
                        + TerminalText.escape(loaded.firstUndecodable()) + ")");
            }
            for (String problem : loaded.problems()) {
                System.err.println("bpfscope: " + TerminalText.escape(problem));
            }
            if (tables) {
                listTables(database, stdout);
            } else {
                run(database, query, output);
            }
            stdout.flush();
            return loaded.problems().isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
        } finally {
            for (CaptureSource source : sources) {
                source.close();
            }
        }
    }

    private void run(CaptureDatabase database, String query, SqlOutput output) throws IOException, UserError {
        long limit = format.equalsIgnoreCase("table") ? maxRows : Long.MAX_VALUE;
        long[] rows = {0};
        boolean more;
        try {
            more = database.query(query, new CaptureDatabase.Rows() {
                @Override
                public void columns(List<String> names, List<String> types) throws IOException {
                    output.columns(names);
                }

                @Override
                public void row(Object[] values) throws IOException {
                    output.row(values);
                    rows[0]++;
                }
            }, limit);
        } catch (SQLException e) {
            throw new UserError(ExitCodes.USAGE, "sql: " + CaptureDatabase.oneLine(e.getMessage()));
        }
        output.end(rows[0], more, limit);
    }

    private static void listTables(CaptureDatabase database, PrintStream out) throws SQLException {
        long total = 0;
        List<String> lines = new ArrayList<>();
        for (ProbeTable table : database.tables()) {
            long rows = database.count(table.name());
            total += rows;
            List<String> columns = new ArrayList<>();
            for (ProbeTable.Column column : table.fields()) {
                columns.add(column.name() + " " + column.type().sql());
            }
            lines.add(String.format("%-32s %,12d  probe %s; fields: %s", TerminalText.escape(table.name()), rows,
                    TerminalText.escape(table.probe()), columns.isEmpty() ? "(none)" : TerminalText.escape(String.join(", ", columns))));
        }
        out.printf("%-32s %,12d  every event: seq, time, host, probe, pid, tid, uid, comm, summary, payload, payload_len, truncated%n",
                "events", total);
        lines.forEach(out::println);
        out.println("(each probe's table has events' columns but probe, with its fields between summary and payload)");
    }
}
