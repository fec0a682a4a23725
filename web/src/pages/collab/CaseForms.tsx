import type { Rules, WorkOrder } from '../../lib/types';
import AttachForm from './AttachForm';
import { DecideAppealForm, JudgeForm, VerifyForm } from './PlatformForms';
import ReplyForm, { type Run } from './ReplyForm';

/** The steps a person takes on a case, each an antd form (CollabPanel draws the one allowed now). */
export type CaseStep = 'reply' | 'evidence' | 'appeal' | 'verify' | 'judge' | 'decide_appeal';

// A chunk of its own (antd's Form, Radio, DatePicker, Input, Select, Card): a case's panel is plain elements
// and draws a step's form when it is first opened on a phone, at once on a wide screen (CollabPanel.tsx).

/** The form of one step of a case. */
export default function CaseForm({ step, wo, rules, run }: { step: CaseStep; wo: WorkOrder; rules: Rules | null; run: Run }) {
  switch (step) {
    case 'reply':
      return <ReplyForm wo={wo} rules={rules} run={run} />;
    case 'evidence':
    case 'appeal':
      return <AttachForm wo={wo} run={run} kind={step} />;
    case 'verify':
      return <VerifyForm wo={wo} run={run} />;
    case 'judge':
      return <JudgeForm wo={wo} rules={rules} run={run} />;
    case 'decide_appeal':
      return <DecideAppealForm wo={wo} run={run} />;
  }
}
