package dev.assay.common;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.zaxxer.hikari.HikariDataSource;

/**
 * On PostgreSQL every connection plans each statement with its own bind values
 * ({@code plan_cache_mode = force_custom_plan}). Assay's tables start empty and fill during the first
 * collections; the generic plan of a server-side prepared statement made while a table was small (a
 * sequential scan) is otherwise kept until an ANALYZE of the table invalidates it — on a server
 * without autovacuum, never. The benchmark's L PagerDuty collection spent 100–400 ms on each lookup
 * of a chunk's stored incidents with such a plan, under a millisecond with a plan made for the table
 * as it is. Planning Assay's statements costs a fraction of a millisecond each. A connection init
 * SQL set in the configuration ({@code spring.datasource.hikari.connection-init-sql}) is kept.
 */
@Configuration(proxyBeanMethods = false)
class PostgresPlanningConfiguration {

    static final String CUSTOM_PLANS = "SET plan_cache_mode = force_custom_plan";

    @Bean
    static BeanPostProcessor postgresCustomPlans() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null
                        && hikari.getJdbcUrl().startsWith("jdbc:postgresql:") && hikari.getConnectionInitSql() == null) {
                    hikari.setConnectionInitSql(CUSTOM_PLANS);
                }
                return bean;
            }
        };
    }
}
