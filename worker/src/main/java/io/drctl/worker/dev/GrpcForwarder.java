package io.drctl.worker.dev;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves every gRPC method by forwarding the call, message for message and with its headers,
 * deadline and trailers, to another channel. It lets the Java test server, which the SDK's public
 * API offers only in-process ({@code TestServer.createServer}) or bound to every interface ({@code
 * TestServer.createPortBoundServer}), be served on a loopback port of drctl's choosing without the
 * SDK's internal {@code io.temporal.internal.testservice} classes. Messages pass as bytes, so every
 * service the test server has (workflow, operator, health, test) works unchanged.
 */
final class GrpcForwarder extends HandlerRegistry {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private final Channel target;

  GrpcForwarder(Channel target) {
    this.target = target;
  }

  @Override
  public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
    MethodDescriptor<byte[], byte[]> method =
        MethodDescriptor.newBuilder(BYTES, BYTES)
            .setFullMethodName(methodName)
            .setType(MethodDescriptor.MethodType.UNKNOWN)
            .build();
    return ServerMethodDefinition.create(method, new Forward(target, method));
  }

  private record Forward(Channel target, MethodDescriptor<byte[], byte[]> method)
      implements ServerCallHandler<byte[], byte[]> {
    @Override
    public ServerCall.Listener<byte[]> startCall(
        ServerCall<byte[], byte[]> serverCall, Metadata headers) {
      CallOptions options = CallOptions.DEFAULT;
      io.grpc.Deadline deadline = io.grpc.Context.current().getDeadline();
      if (deadline != null) {
        options = options.withDeadline(deadline);
      }
      ClientCall<byte[], byte[]> clientCall = target.newCall(method, options);
      clientCall.start(
          new ClientCall.Listener<>() {
            @Override
            public void onHeaders(Metadata responseHeaders) {
              serverCall.sendHeaders(responseHeaders);
            }

            @Override
            public void onMessage(byte[] message) {
              serverCall.sendMessage(message);
              clientCall.request(1);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              serverCall.close(status, trailers);
            }
          },
          headers);
      clientCall.request(1);
      serverCall.request(1);
      return new ServerCall.Listener<>() {
        @Override
        public void onMessage(byte[] message) {
          clientCall.sendMessage(message);
          serverCall.request(1);
        }

        @Override
        public void onHalfClose() {
          clientCall.halfClose();
        }

        @Override
        public void onCancel() {
          clientCall.cancel("the client cancelled the call", null);
        }
      };
    }
  }
}
