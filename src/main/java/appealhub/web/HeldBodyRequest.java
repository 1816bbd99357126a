package appealhub.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;

/**
 * A request whose body a filter has read (to judge it) and holds, handed on so that what comes
 * after reads the very same bytes: the push guard (size, type) and the Jolokia guard (what a POST
 * asks for) both use it.
 */
public final class HeldBodyRequest extends HttpServletRequestWrapper {
    private final byte[] body;
    private final Charset fallback;

    /** @param fallback the charset a reader uses when the request names none */
    public HeldBodyRequest(HttpServletRequest request, byte[] body, Charset fallback) {
        super(request);
        this.body = body;
        this.fallback = fallback;
    }

    /** The body read and held; null when it is longer than max bytes (nothing more is read then). */
    public static HeldBodyRequest of(HttpServletRequest request, int max, Charset fallback) throws IOException {
        if (request.getContentLengthLong() > max) return null;
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(max + 1);
        }
        return body.length > max ? null : new HeldBodyRequest(request, body, fallback);
    }

    /** The body as characters: the request's charset, else the fallback. */
    public Reader reader() {
        String encoding = getCharacterEncoding();
        Charset charset = encoding != null ? Charset.forName(encoding) : fallback;
        return new InputStreamReader(new ByteArrayInputStream(body), charset);
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("the body is already read");
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(reader());
    }
}
