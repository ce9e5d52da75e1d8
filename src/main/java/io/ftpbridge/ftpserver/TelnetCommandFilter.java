package io.ftpbridge.ftpserver;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * Strips Telnet commands from the control connection before MINA decodes command lines (RFC 959
 * section 4.1.3 and RFC 854): clients send ABOR after {@code IAC IP} and {@code IAC DM}, the DM as
 * TCP urgent data. {@code IAC IAC} stands for one 0xFF byte; option negotiations
 * ({@code IAC WILL/WONT/DO/DONT x}) are dropped whole. An IAC followed by an ordinary byte (its
 * DM went out of band) is dropped alone.
 */
final class TelnetCommandFilter extends IoFilterAdapter {

    static final String NAME = "telnet";

    private static final int IAC = 0xFF;
    private static final int WILL = 0xFB;
    private static final int DONT = 0xFE;
    private static final int SE = 0xF0;
    private static final AttributeKey STATE = new AttributeKey(TelnetCommandFilter.class, "state");

    private enum State { TEXT, COMMAND, OPTION }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        if (!(message instanceof IoBuffer in)) {
            next.messageReceived(session, message);
            return;
        }
        State state = (State) session.getAttribute(STATE, State.TEXT);
        if (state == State.TEXT && !contains(in, IAC)) {
            next.messageReceived(session, message);
            return;
        }
        IoBuffer out = IoBuffer.allocate(in.remaining());
        while (in.hasRemaining()) {
            int b = in.get() & 0xFF;
            switch (state) {
                case TEXT -> {
                    if (b == IAC) {
                        state = State.COMMAND;
                    } else {
                        out.put((byte) b);
                    }
                }
                case COMMAND -> {
                    if (b == IAC) {
                        out.put((byte) b);
                        state = State.TEXT;
                    } else if (b >= WILL && b <= DONT) {
                        state = State.OPTION;
                    } else {
                        if (b < SE) {
                            out.put((byte) b);
                        }
                        state = State.TEXT;
                    }
                }
                case OPTION -> state = State.TEXT;
            }
        }
        session.setAttribute(STATE, state);
        out.flip();
        if (out.hasRemaining()) {
            next.messageReceived(session, out);
        }
    }

    private static boolean contains(IoBuffer buffer, int value) {
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            if ((buffer.get(i) & 0xFF) == value) {
                return true;
            }
        }
        return false;
    }
}
