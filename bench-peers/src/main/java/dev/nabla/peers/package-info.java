/** mlp_wide timed with other JVM libraries, in the reference's protocol, for dev.nabla.bench.Compare. */
package dev.nabla.peers;
