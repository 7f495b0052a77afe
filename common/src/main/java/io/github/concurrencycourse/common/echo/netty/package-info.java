/**
 * The uppercase-echo protocol on Netty: {@link
 * io.github.concurrencycourse.common.echo.netty.UppercaseEchoHandler}, the one echo handler of
 * every server built on Netty. This package needs Netty on the class path, which this module
 * declares optional: a server that uses it brings Netty itself.
 */
package io.github.concurrencycourse.common.echo.netty;
