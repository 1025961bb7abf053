/**
 * The {@code carpd} command line: picocli wiring of the daemon ({@code run}), config checking and
 * the operator verbs, which talk to a running daemon only through its control API. This is the one
 * place where carpd-core and carpd-pfsync meet: the core never depends on the sync module, so the
 * CLI plugs state sync into the daemon through the narrow interfaces the core defines.
 */
package io.carpd.cli;
