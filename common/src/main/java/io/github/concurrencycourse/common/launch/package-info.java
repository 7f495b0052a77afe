/**
 * Child JVMs and what they share with their parent: {@link
 * io.github.concurrencycourse.common.launch.WorkerLauncher}, the Java {@code
 * multiprocessing.Process}, a task run in a child JVM started with this JVM's {@code java} and
 * class path; {@link io.github.concurrencycourse.common.launch.MessageChannel}, the one channel
 * between processes (typed JSON frames over a Unix domain socket); and {@link
 * io.github.concurrencycourse.common.launch.FileMutex}, the one lock between processes.
 */
package io.github.concurrencycourse.common.launch;
