/**
 * Test support for code that needs a real kernel: throw-away network namespaces with a per-run
 * name prefix, commands run inside them, and Java code run on a thread that entered one (sockets
 * keep the namespace they were created in). Skips when not root unless CI demands the tests.
 */
package io.carpd.pfsync.testing;
