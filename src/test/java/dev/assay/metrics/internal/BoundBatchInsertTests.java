package dev.assay.metrics.internal;

import static dev.assay.metrics.internal.db.Tables.METRIC_DAILY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import dev.assay.AssayIntegrationTest;
import dev.assay.DatabaseCleaner;
import dev.assay.common.BoundBatchInsert;
import dev.assay.metrics.internal.db.tables.records.MetricDailyRecord;

/**
 * The rollup's bound batch insert on the real database: rows of different shapes (a ratio row sets
 * numerator and denominator, a duration row n and the statistics) in one call each keep every value
 * they set, and the columns they leave unset stay null.
 */
@AssayIntegrationTest
class BoundBatchInsertTests {

    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 1, 15, 2, 0, 0, 0, ZoneOffset.UTC);

    @Autowired DSLContext db;
    @Autowired DataSource dataSource;
    @Autowired TransactionTemplate transactions;

    @BeforeEach
    void clean() {
        new DatabaseCleaner(dataSource).cleanAll();
    }

    @Test
    void rowsOfEachShapeKeepTheirOwnValues() {
        MetricDailyRecord ratio = row("signed-coverage", "checkout");
        ratio.setNumerator(7L);
        ratio.setDenominator(9L);
        MetricDailyRecord duration = row("mttr", "checkout");
        duration.setN(12);
        duration.setExcluded(1);
        duration.setMedianS(3600.5);
        duration.setP90S(7200.0);
        MetricDailyRecord secondRatio = row("signed-coverage", "ledger");
        secondRatio.setNumerator(0L);
        secondRatio.setDenominator(3L);

        int inserted = transactions.execute(status -> BoundBatchInsert.insert(db, List.of(ratio, duration, secondRatio)));

        assertThat(inserted).isEqualTo(3);
        assertThat(db.fetchCount(METRIC_DAILY)).isEqualTo(3);
        MetricDailyRecord storedRatio = db.selectFrom(METRIC_DAILY).where(METRIC_DAILY.METRIC.eq("signed-coverage"))
                .and(METRIC_DAILY.TEAM.eq("checkout")).fetchOne();
        assertThat(storedRatio.getNumerator()).isEqualTo(7L);
        assertThat(storedRatio.getDenominator()).isEqualTo(9L);
        assertThat(storedRatio.getN()).isNull();
        assertThat(storedRatio.getMedianS()).isNull();
        assertThat(storedRatio.getComputedAt().toInstant()).isEqualTo(AT.toInstant());
        assertThat(storedRatio.getRollupDay()).isEqualTo(LocalDate.of(2026, 1, 15));
        MetricDailyRecord storedDuration = db.selectFrom(METRIC_DAILY).where(METRIC_DAILY.METRIC.eq("mttr")).fetchOne();
        assertThat(storedDuration.getN()).isEqualTo(12);
        assertThat(storedDuration.getExcluded()).isEqualTo(1);
        assertThat(storedDuration.getMedianS()).isEqualTo(3600.5);
        assertThat(storedDuration.getP90S()).isEqualTo(7200.0);
        assertThat(storedDuration.getNumerator()).isNull();
        assertThat(db.selectFrom(METRIC_DAILY).where(METRIC_DAILY.TEAM.eq("ledger")).fetchOne().getDenominator()).isEqualTo(3L);
    }

    private MetricDailyRecord row(String metric, String team) {
        MetricDailyRecord record = db.newRecord(METRIC_DAILY);
        record.setRollupDay(LocalDate.of(2026, 1, 15));
        record.setMetric(metric);
        record.setTimeWindow("P30D");
        record.setTeam(team);
        record.setService("");
        record.setComputedAt(AT);
        return record;
    }
}
