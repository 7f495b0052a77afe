/**
 * {@link io.github.concurrencycourse.common.tickets.TicketStore}: the seed's {@code db.txt}, a JSON
 * ticket count shared by threads and processes, made atomic and crash-safe.
 */
package io.github.concurrencycourse.common.tickets;
