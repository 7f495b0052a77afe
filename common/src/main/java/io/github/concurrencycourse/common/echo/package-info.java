/**
 * The uppercase-echo protocol of the seed's socket servers, and the pieces every Java port of those
 * servers shares.
 *
 * <p>The seed's servers answer each {@code data = conn.recv(1024)} with {@code
 * conn.send(data.upper())}. On bytes, Python's {@code upper()} changes ASCII {@code a}–{@code z}
 * into {@code A}–{@code Z} and leaves every other byte alone, so the protocol is:
 *
 * <ul>
 *   <li>every byte a client sends comes back, in order, exactly once;
 *   <li>ASCII {@code a}–{@code z} come back as {@code A}–{@code Z}; every other byte (digits,
 *       punctuation, control bytes, every byte of UTF-8 text such as {@code 服务器已经启动....}) comes
 *       back unchanged;
 *   <li>there is no framing: the transform is per byte, so it is correct however TCP splits or
 *       joins the stream, and a server must answer a single byte without waiting for more;
 *   <li>a client that closes its side (EOF) gets every byte it sent before the EOF back, then the
 *       server closes the connection; a client that resets the connection ends that connection
 *       only. The seed catches {@code ConnectionResetError} but loops forever on EOF; these servers
 *       must not.
 * </ul>
 *
 * <p>{@link io.github.concurrencycourse.common.echo.UppercaseEcho} is the transform, {@link
 * io.github.concurrencycourse.common.echo.EchoServer} the interface every server model implements,
 * {@link io.github.concurrencycourse.common.echo.AbstractEchoServer} its life cycle, written once,
 * {@link io.github.concurrencycourse.common.echo.EchoServerSettings} the options of every model,
 * {@link io.github.concurrencycourse.common.echo.ConnectionCounter} the live and total counts a
 * server reports, and {@link io.github.concurrencycourse.common.echo.EchoClient} a blocking client.
 * The behaviour is checked for every server by {@code EchoServerContract} in the testkit module.
 */
package io.github.concurrencycourse.common.echo;
