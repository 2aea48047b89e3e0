package io.drctl.activities.postgres;

/**
 * The heartbeat details of a postgres activity: what an operator sees while it runs.
 *
 * @param action the activity type, e.g. {@code postgres.verify}
 * @param phase what is being done, e.g. {@code counting public.orders}
 * @param done units finished in the phase (tables, bytes, polls)
 * @param elapsedSeconds since the attempt started
 */
public record PostgresProgress(String action, String phase, long done, long elapsedSeconds) {}
