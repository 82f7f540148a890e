package dev.durablerelease.worker;

import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The threads that carry this process's gRPC traffic (every client channel, and the embedded Java test server), owned
 * here so that {@link #stop()} can end them before the JVM exits. A thread waiting in epoll is in native code, and
 * HotSpot's exit waits 300 ms for such threads; gRPC's own shared threads stay for a second after the last channel
 * closes, so every command that had talked to Temporal took 0.3 s longer to exit.
 */
public final class NetworkThreads {
  /** Netty's default: twice the cores, as gRPC's own threads. */
  private static final int THREADS = 0;
  private static EventLoopGroup group;

  private NetworkThreads() {}

  /** For {@code setChannelInitializer}: the channel's traffic runs on these threads. */
  static void use(ManagedChannelBuilder<?> channel) {
    ((NettyChannelBuilder) channel).eventLoopGroup(group()).channelType(NioSocketChannel.class);
  }

  static NettyServerBuilder use(NettyServerBuilder server) {
    return server.bossEventLoopGroup(group()).workerEventLoopGroup(group())
        .channelType(NioServerSocketChannel.class);
  }

  private static synchronized EventLoopGroup group() {
    if (group == null) {
      group = new NioEventLoopGroup(THREADS, new DefaultThreadFactory("grpc-network", true));
    }
    return group;
  }

  /** Ends the threads, for a process about to exit (any channel still open fails from here on). */
  public static synchronized void stop() {
    if (group != null) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(1, TimeUnit.SECONDS);
      group = null;
    }
  }
}
