package dev.assay.findings.internal;

/** The names of the actions on a finding, as the pages and the audit log spell them. */
public final class FindingAction {

    public static final String ASSIGN = "assign";
    public static final String START = "start";
    public static final String STOP = "stop";
    public static final String FALSE_POSITIVE = "false-positive";
    public static final String REOPEN = "reopen";
    public static final String REQUEST_RISK_ACCEPTANCE = "request-risk-acceptance";
    public static final String APPROVE = "approve";
    public static final String REJECT = "reject";
    public static final String WITHDRAW = "withdraw";
    public static final String COMMENT = "comment";

    private FindingAction() {
    }
}
