/**
 * The Solace source's configuration: immutable records the launcher binds its YAML to. Compact
 * constructors fill in defaults (a {@code null} component means "use the default"); {@code problems(path)}
 * lists every invalid value, each prefixed with its path, and {@link dev.ldd.solace.config.SolaceSourceConfig#validate()}
 * throws them together as one {@link dev.ldd.core.ConfigException}. Passwords are held as given (the
 * launcher resolves {@code ${ENV}} references first) and never appear in {@code toString()}.
 */
package dev.ldd.solace.config;
