package io.drctl.interpreter;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The payload of every operator signal and update.
 *
 * @param by identity of the operator; required
 * @param reason why; recorded in the report
 * @param step the step it applies to; may be omitted when only one step is waiting
 * @param comment free text, e.g. an approver's note
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperatorCommand(String by, String reason, String step, String comment) {}
