package io.hepaloop.sim;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a server stop answering without closing anything, as when a cable is pulled or a switch
 * hangs: while silent, every connection stops reading (requests wait in the socket buffers) and
 * holds what the server writes. When the silence ends, the held bytes go out in order and reading
 * resumes, so framing stays intact; a client that gave up meanwhile has closed its side and will
 * reconnect. New connections accepted while silent start silent.
 *
 * <p>Installed at the head of every child pipeline through Milo's {@code
 * channelPipelineCustomizer}. It therefore knows every connection of its server, and also closes
 * them all when the server stops ({@link #closeAll}): Milo's unbind closes the connections it has
 * registered, but a connection accepted while it unbinds is registered after the sweep and would
 * live on to a server without an address space — a device that answers the heartbeat with errors
 * instead of going away.
 */
final class CommsSilencer {
  private volatile boolean silent;
  private volatile boolean refusing;
  private final Set<Handler> handlers = ConcurrentHashMap.newKeySet();

  void install(ChannelPipeline pipeline) {
    pipeline.addFirst("hepaloop-comms-silencer", new Handler());
  }

  /**
   * Closes every connection now, and every connection that is set up from now until {@link
   * #accept()}.
   */
  void closeAll() {
    refusing = true;
    for (Handler h : handlers) {
      h.channel.close();
    }
  }

  /** Connections are served again (the server started). */
  void accept() {
    refusing = false;
  }

  /** Open connections of the server (test and diagnostics). */
  int connections() {
    return handlers.size();
  }

  boolean silent() {
    return silent;
  }

  void silence() {
    silent = true;
    for (Handler h : handlers) {
      h.channel.eventLoop().execute(() -> h.channel.config().setAutoRead(false));
    }
  }

  void resume() {
    silent = false;
    for (Handler h : handlers) {
      h.channel.eventLoop().execute(h::resume);
    }
  }

  private final class Handler extends ChannelDuplexHandler {
    private Channel channel;
    private ChannelHandlerContext ctx;
    private final ArrayDeque<Object> heldReads = new ArrayDeque<>();
    private final ArrayDeque<Object[]> heldWrites = new ArrayDeque<>();

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
      this.channel = ctx.channel();
      handlers.add(this);
      if (refusing) {
        ctx.close();
        return;
      }
      if (silent) {
        channel.config().setAutoRead(false);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      handlers.remove(this);
      heldReads.forEach(io.netty.util.ReferenceCountUtil::release);
      heldReads.clear();
      for (Object[] w : heldWrites) {
        io.netty.util.ReferenceCountUtil.release(w[0]);
        ((ChannelPromise) w[1]).tryFailure(new java.nio.channels.ClosedChannelException());
      }
      heldWrites.clear();
      super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (silent || !heldReads.isEmpty()) {
        heldReads.add(msg);
      } else {
        ctx.fireChannelRead(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (!silent) {
        ctx.fireChannelReadComplete();
      }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (silent || !heldWrites.isEmpty()) {
        heldWrites.add(new Object[] {msg, promise});
      } else {
        ctx.write(msg, promise);
      }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (!silent) {
        ctx.flush();
      }
    }

    /** On the channel's event loop: release what was held, in order, and read again. */
    void resume() {
      if (!channel.isActive()) {
        return;
      }
      while (!heldWrites.isEmpty()) {
        Object[] w = heldWrites.poll();
        ctx.write(w[0], (ChannelPromise) w[1]);
      }
      ctx.flush();
      boolean any = !heldReads.isEmpty();
      while (!heldReads.isEmpty()) {
        ctx.fireChannelRead(heldReads.poll());
      }
      if (any) {
        ctx.fireChannelReadComplete();
      }
      channel.config().setAutoRead(true);
      channel.read();
    }
  }
}
