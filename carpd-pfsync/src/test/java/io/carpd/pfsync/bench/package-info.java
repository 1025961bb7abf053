/**
 * Measurements, not tests: classes here print numbers and assert nothing about speed. They are
 * not picked up by the default test run; run one with {@code -Dtest=<Class>} (see each class).
 */
package io.carpd.pfsync.bench;
