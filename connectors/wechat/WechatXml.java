package appealhub.connectors.wechat;

import com.ctc.wstx.stax.WstxInputFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * WeChat's message XML, read safely and written for passive replies.
 *
 * <p>Reading: Jackson's XmlMapper over a Woodstox StAX factory with DTD support and external
 * entities switched off, after a first look at the prolog that refuses any DOCTYPE outright
 * (so no entity can be declared, let alone one pointing at a file or URL) and checks that the
 * root is {@code <xml>}. Bodies are size-limited before they get here.
 */
public final class WechatXml {

    /** The body is not a WeChat message the hub can read (or tries an XML trick). */
    public static class MalformedMessage extends RuntimeException {
        public MalformedMessage(String message) {
            super(message);
        }
    }

    private static final XMLInputFactory INPUT = hardened();
    private static final XmlMapper MAPPER = new XmlMapper(XmlFactory.builder().xmlInputFactory(INPUT).build());

    private WechatXml() {}

    static XMLInputFactory hardened() {
        XMLInputFactory f = new WstxInputFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_VALIDATING, false);
        f.setXMLResolver((publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external resources are not read: " + systemId);
        });
        return f;
    }

    /** The message's top-level elements as a JSON object (element name → text). */
    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) throw new MalformedMessage("empty body");
        checkProlog(body);
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new MalformedMessage("body is not well-formed XML");
        }
        if (node == null || !node.isObject()) throw new MalformedMessage("message has no fields");
        return node;
    }

    private static void checkProlog(byte[] body) {
        XMLStreamReader reader = null;
        try {
            reader = INPUT.createXMLStreamReader(new ByteArrayInputStream(body));
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.DTD) throw new MalformedMessage("DOCTYPE is not allowed");
                if (event == XMLStreamConstants.ENTITY_REFERENCE) throw new MalformedMessage("entities are not allowed");
                if (event == XMLStreamConstants.START_ELEMENT) {
                    if (!"xml".equals(reader.getLocalName())) {
                        throw new MalformedMessage("root element must be <xml>");
                    }
                    return;
                }
            }
            throw new MalformedMessage("no root element");
        } catch (XMLStreamException e) {
            throw new MalformedMessage("body is not well-formed XML");
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing held
                }
            }
        }
    }

    /** Text of a top-level element, trimmed; null when absent or empty. */
    public static String text(JsonNode message, String field) {
        JsonNode v = message.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) return null;
        String s = v.asText().trim();
        return s.isEmpty() ? null : s;
    }

    /** WeChat's passive text reply. */
    public static String textReply(String toUser, String fromUser, long createTime, String content) {
        return "<xml><ToUserName>" + cdata(toUser) + "</ToUserName><FromUserName>" + cdata(fromUser)
                + "</FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                + "<Content>" + cdata(content) + "</Content></xml>";
    }

    /** A CDATA section; "]]>" inside the text is split across two sections. */
    public static String cdata(String s) {
        return "<![CDATA[" + (s == null ? "" : s.replace("]]>", "]]]]><![CDATA[>")) + "]]>";
    }
}
