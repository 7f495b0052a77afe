/**
 * What the registries of the course's {@link java.util.ServiceLoader} services share: {@link
 * io.github.concurrencycourse.common.spi.ProviderRegistry}, the providers of a service, each known
 * by a well-formed key of its own.
 */
package io.github.concurrencycourse.common.spi;
