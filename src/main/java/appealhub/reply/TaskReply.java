package appealhub.reply;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A department's or township's answer on the reply queue (docs/queue-contract).
 *
 * @param replyId unique per reply; a reply sent twice is applied once
 * @param type    accept | return | progress | resolve
 * @param text    progress note or result text (progress, resolve)
 * @param reason  why the task is returned (return)
 * @param handler name of the person handling it, as the department wants it shown
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskReply(String replyId, String taskId, String orgCode, String type, String text, String reason,
                        String handler) {}
