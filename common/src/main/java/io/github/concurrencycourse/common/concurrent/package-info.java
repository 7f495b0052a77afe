/**
 * Small concurrency utilities the other packages and modules share: {@link
 * io.github.concurrencycourse.common.concurrent.Uninterruptibly}, a wait that an interrupt does not
 * cut short.
 */
package io.github.concurrencycourse.common.concurrent;
