package dev.assay.playbooks;

/**
 * An action the drill's state does not allow (completing a step that was never started, changing a
 * finished drill, ...): answered as 409 Conflict with this message.
 */
public class DrillStateException extends RuntimeException {

    public DrillStateException(String message) {
        super(message);
    }
}
