package dev.assay.bench;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

import javax.sql.DataSource;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The machine a benchmark ran on: cores, JVM, maximum heap, operating system and database. */
final class MachineFacts {

    private MachineFacts() {
    }

    static ObjectNode of(DataSource dataSource) throws SQLException {
        ObjectNode machine = JsonNodeFactory.instance.objectNode();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("max_heap_mb", HeapPeak.maxMb());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            machine.put("database", meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
            machine.put("jdbc_driver", meta.getDriverName() + " " + meta.getDriverVersion());
        }
        return machine;
    }
}
