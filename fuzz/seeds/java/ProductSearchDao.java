package com.shop.catalog;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Hand-written queries on the catalog tables, for listings where JPA was too slow.
 */
@Repository
public class ProductSearchDao {

    private static final String ACTIVE_SKUS_SQL =
            "SELECT sku FROM products WHERE active = true AND category = ? ORDER BY name";
    private static final String COUNT_ACTIVE_SQL = "SELECT COUNT(*) FROM products WHERE active = true";

    private final JdbcTemplate jdbcTemplate;

    public ProductSearchDao(JdbcTemplate jdbcTemplate) {
        this.jdbcTemplate = jdbcTemplate;
    }

    public List<String> activeSkus(String category) {
        return jdbcTemplate.queryForList(ACTIVE_SKUS_SQL, String.class, category);
    }

    public long countActive() {
        Long count = jdbcTemplate.queryForObject(COUNT_ACTIVE_SQL, Long.class);
        return count == null ? 0L : count;
    }
}
