/**
 * {@link io.github.concurrencycourse.common.launch.WorkerLauncher}: the Java {@code
 * multiprocessing.Process}, a task run in a child JVM started with this JVM's {@code java} and
 * class path.
 */
package io.github.concurrencycourse.common.launch;
