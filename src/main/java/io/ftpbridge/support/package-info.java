/**
 * Small pieces that several features use and none owns: how a failing poller logs ({@link
 * io.ftpbridge.support.RepeatedFailures}), which database a connection is on ({@link
 * io.ftpbridge.support.Databases}), lowering a background thread's CPU priority ({@link
 * io.ftpbridge.support.BackgroundPriority}). Imports nothing else of ours, so every feature may use it.
 */
package io.ftpbridge.support;
