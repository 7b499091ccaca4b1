package answers_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"policybot/answers"
	"policybot/corpus"
	"policybot/kb"
)

// Days the tests judge on: while the notice is in force, and years later.
var (
	inForce = time.Date(2022, 7, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	later   = time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
)

// newEligibility builds an evaluator of the embedded corpus that believes
// today is today.
func newEligibility(t testing.TB, today time.Time) *answers.Evaluator {
	t.Helper()
	c, err := kb.Load(corpus.Embedded())
	if err != nil {
		t.Fatalf("load corpus: %v", err)
	}
	e, err := answers.NewEvaluator(c, func() time.Time { return today })
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// verdictOf evaluates facts and returns the verdict on one benefit.
func verdictOf(t *testing.T, e *answers.Evaluator, id string, facts map[string]any) answers.Verdict {
	t.Helper()
	vs, err := e.Evaluate(facts)
	if err != nil {
		t.Fatalf("Evaluate(%v): %v", facts, err)
	}
	for _, v := range vs {
		if v.Benefit == id {
			return v
		}
	}
	t.Fatalf("no verdict on %s", id)
	return answers.Verdict{}
}

// with returns base with more facts.
func with(base map[string]any, more map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

var (
	enterprise   = map[string]any{"role": "employer", "employer_type": "enterprise"}
	individual   = map[string]any{"role": "individual"}
	entrepreneur = map[string]any{"role": "individual", "employment_status": "business"}
	// noKeyGroup is a 30-year-old man in none of the notice's key groups.
	noKeyGroup = map[string]any{
		"graduate": "none", "migrant_worker": "no", "poverty_alleviated": false, "veteran": false,
		"disabled": false, "registered_unemployed": false, "low_income_family": false,
		"other_key_group": false, "gender": "male", "age": 30,
	}
)

// eligibilityCase is one person or organisation judged on one benefit.
type eligibilityCase struct {
	name   string
	facts  map[string]any
	status answers.Eligibility
	failed string // for ineligible: the condition that fails, by its text
}

// Each benefit, with the people the notice's own conditions let in and keep
// out, judged while the notice is in force.
var benefitCases = map[string][]eligibilityCase{
	"unemployment_insurance_rate_cut": {
		{"employer", map[string]any{"role": "employer"}, answers.Eligible, ""},
		{"employee", with(individual, map[string]any{"employment_status": "employed"}), answers.Eligible, ""},
		{"unemployed person", with(individual, map[string]any{"employment_status": "unemployed"}), answers.Ineligible, "缴纳失业保险费的用人单位或在职职工"},
	},
	"social_insurance_deferral": {
		{"difficult enterprise in a difficult industry", with(enterprise, map[string]any{"difficult_enterprise": true}), answers.Possible, ""},
		{"enterprise doing well", with(enterprise, map[string]any{"difficult_enterprise": false}), answers.Ineligible, "困难行业的困难企业"},
	},
	"job_retention_refund": {
		{"foundation", map[string]any{"role": "employer", "employer_type": "social_org", "got_service_sector_refund": false}, answers.Possible, ""},
		{"small enterprise", with(enterprise, map[string]any{"enterprise_size": "small", "got_service_sector_refund": false}), answers.Possible, ""},
		{"already refunded as a service-sector enterprise", with(enterprise, map[string]any{"enterprise_size": "small", "got_service_sector_refund": true}), answers.Ineligible, "未享受过服务业领域困难行业企业稳岗返还"},
		{"public institution", map[string]any{"role": "employer", "employer_type": "other"}, answers.Ineligible, "企业，或社会团体、基金会、社会服务机构、律师事务所、会计师事务所、以单位形式参保的个体工商户"},
	},
	"job_retention_refund_large": {
		{"large enterprise", with(enterprise, map[string]any{"enterprise_size": "large", "got_service_sector_refund": false}), answers.Possible, ""},
		{"medium enterprise", with(enterprise, map[string]any{"enterprise_size": "medium", "got_service_sector_refund": false}), answers.Ineligible, "大型企业"},
		{"小微企业", with(enterprise, map[string]any{"enterprise_size": "small_or_micro", "got_service_sector_refund": false}), answers.Ineligible, "大型企业"},
	},
	"one_off_hiring_subsidy": {
		{"small enterprise, graduates stayed 6 months", with(enterprise, map[string]any{"enterprise_size": "small", "graduates_hired": 3, "graduates_stayed_6m": true}), answers.Eligible, ""},
		{"large enterprise", with(enterprise, map[string]any{"enterprise_size": "large", "graduates_hired": 3, "graduates_stayed_6m": true}), answers.Ineligible, "中小微企业"},
		{"graduates not yet 6 months", with(enterprise, map[string]any{"enterprise_size": "micro", "graduates_hired": 3, "graduates_stayed_6m": false}), answers.Ineligible, "稳定就业6个月以上"},
		{"小微企业, not told small from micro", with(enterprise, map[string]any{"enterprise_size": "small_or_micro", "graduates_hired": 3, "graduates_stayed_6m": true}), answers.Eligible, ""},
	},
	"job_expansion_subsidy": {
		{"enterprise hiring graduates", with(enterprise, map[string]any{"graduates_hired": 2}), answers.Possible, ""},
		{"enterprise hiring none", with(enterprise, map[string]any{"graduates_hired": 0}), answers.Ineligible, "吸纳毕业年度高校毕业生稳定就业"},
	},
	"hiring_tax_reduction": {
		{"enterprise hiring people lifted out of poverty", with(enterprise, map[string]any{"key_group_hires": 2}), answers.Eligible, ""},
		{"social organisation", map[string]any{"role": "employer", "employer_type": "social_org", "key_group_hires": 2}, answers.Ineligible, "企业"},
	},
	"hiring_social_insurance_subsidy": {
		{"employer hiring a disabled person", map[string]any{"role": "employer", "key_group_hires": 0, "hired_hard_to_employ": true}, answers.Eligible, ""},
		{"employer hiring registered-unemployed graduates", map[string]any{"role": "employer", "key_group_hires": 1}, answers.Eligible, ""},
		{"employer hiring none", map[string]any{"role": "employer", "key_group_hires": 0, "hired_hard_to_employ": false}, answers.Ineligible, "吸纳登记失业离校2年内高校毕业生、脱贫人口、残疾人等就业困难人员稳定就业"},
	},
	"graduate_hiring_guarantee_loan": {
		{"small enterprise at 15%", with(enterprise, map[string]any{"enterprise_size": "small", "staff_count": 80, "graduates_hired": 12}), answers.Eligible, ""},
		{"medium enterprise", with(enterprise, map[string]any{"enterprise_size": "medium", "staff_count": 80, "graduates_hired": 12}), answers.Ineligible, "小微企业"},
		{"小微企业 at 15%", with(enterprise, map[string]any{"enterprise_size": "small_or_micro", "staff_count": 80, "graduates_hired": 12}), answers.Eligible, ""},
	},
	"preferential_rate_loan": {
		{"enterprise hiring graduates", with(enterprise, map[string]any{"graduates_hired": 1}), answers.Possible, ""},
		{"enterprise hiring no key groups", with(enterprise, map[string]any{"graduates_hired": 0, "key_group_hires": 0}), answers.Ineligible, "吸纳应届毕业生等重点群体就业"},
	},
	"smart_terminal_recruitment": {
		{"smart-terminal maker", with(enterprise, map[string]any{"key_enterprise": "smart_terminal"}), answers.Eligible, ""},
		{"other enterprise", with(enterprise, map[string]any{"key_enterprise": "none"}), answers.Ineligible, "智能终端产业企业"},
	},
	"key_enterprise_hr_service": {
		{"white-listed enterprise", with(enterprise, map[string]any{"key_enterprise": "listed"}), answers.Eligible, ""},
		{"smart-terminal maker not listed", with(enterprise, map[string]any{"key_enterprise": "smart_terminal"}), answers.Ineligible, "经济信息部门确定的白名单企业、商务部门确定的重点外贸企业或发展改革部门确定的重点领域企业"},
	},
	"graduate_job_channels": {
		{"graduate of last year", with(individual, map[string]any{"graduate": "within_2_years"}), answers.Eligible, ""},
		{"not a graduate", with(individual, map[string]any{"graduate": "none"}), answers.Ineligible, "高校毕业生"},
	},
	"hardship_graduate_jobs": {
		{"graduate lifted out of poverty", with(individual, map[string]any{"graduate": "graduation_year", "poverty_alleviated": true}), answers.Eligible, ""},
		{"graduate without hardship", with(individual, map[string]any{"graduate": "graduation_year", "poverty_alleviated": false, "low_income_family": false, "disabled": false}), answers.Ineligible, "贫困高校毕业生等特殊困难高校毕业生（脱贫家庭、低保家庭、残疾等）"},
	},
	"migrant_worker_placement": {
		{"migrant worker away", with(individual, map[string]any{"migrant_worker": "away"}), answers.Eligible, ""},
		{"not a migrant worker", with(individual, map[string]any{"migrant_worker": "no"}), answers.Ineligible, "农民工"},
	},
	"returning_migrant_services": {
		{"returned migrant worker", with(individual, map[string]any{"migrant_worker": "returned"}), answers.Eligible, ""},
		{"migrant worker still away", with(individual, map[string]any{"migrant_worker": "away"}), answers.Ineligible, "返乡农民工"},
	},
	"work_relief_jobs": {
		{"returned migrant worker", with(individual, map[string]any{"migrant_worker": "returned"}), answers.Eligible, ""},
		{"not a migrant worker", with(individual, map[string]any{"migrant_worker": "no"}), answers.Ineligible, "农民工"},
	},
	"labour_brand_award": {
		{"agency running a labour brand", map[string]any{"role": "hr_agency", "labour_brand": true}, answers.Possible, ""},
		{"individual", with(individual, map[string]any{"labour_brand": true}), answers.Ineligible, "用人单位"},
	},
	"cross_region_transport_subsidy": {
		{"person lifted out of poverty working away", with(individual, map[string]any{"poverty_alleviated": true, "migrant_worker": "away"}), answers.Possible, ""},
		{"person lifted out of poverty back home", with(individual, map[string]any{"poverty_alleviated": true, "migrant_worker": "returned"}), answers.Ineligible, "跨区域外出务工"},
	},
	"poverty_employment_channels": {
		{"person lifted out of poverty", with(individual, map[string]any{"poverty_alleviated": true}), answers.Eligible, ""},
		{"other person", with(individual, map[string]any{"poverty_alleviated": false}), answers.Ineligible, "脱贫人口"},
	},
	"poverty_job_recommendations": {
		{"unemployed person lifted out of poverty", with(individual, map[string]any{"poverty_alleviated": true, "employment_status": "unemployed"}), answers.Eligible, ""},
		{"employed person lifted out of poverty", with(individual, map[string]any{"poverty_alleviated": true, "employment_status": "employed"}), answers.Ineligible, "失业"},
	},
	"unemployment_assistance": {
		{"insured, unemployed in 2022", with(individual, map[string]any{"ui_months": 6, "unemployed_2022": true}), answers.Possible, ""},
		{"never insured", with(individual, map[string]any{"ui_months": 0, "unemployed_2022": true}), answers.Ineligible, "参加失业保险（参保）"},
		{"unemployed before 2022", with(individual, map[string]any{"ui_months": 24, "unemployed_2022": false}), answers.Ineligible, "2022年1月1日至12月31日期间新发生失业"},
	},
	"hardship_relief": {
		{"unemployed in hardship", with(individual, map[string]any{"employment_status": "unemployed", "living_hardship": true}), answers.Possible, ""},
		{"unemployed, getting by", with(individual, map[string]any{"employment_status": "unemployed", "living_hardship": false}), answers.Ineligible, "生活困难"},
	},
	"key_group_employment_services": {
		{"veteran", with(individual, map[string]any{"veteran": true}), answers.Eligible, ""},
		{"unemployed youth", with(individual, map[string]any{"employment_status": "unemployed", "age": 23}), answers.Eligible, ""},
		{"employed, in no group", with(individual, map[string]any{"veteran": false, "disabled": false, "other_key_group": false, "low_income_family": false, "employment_status": "employed"}), answers.Ineligible, "退役军人、残疾人、淘汰落后产能企业职工、退捕渔民、失业青年、低保家庭人员等重点群体"},
	},
	"entrepreneurship_training": {
		{"entrepreneur", entrepreneur, answers.Eligible, ""},
		{"employee", with(individual, map[string]any{"employment_status": "employed"}), answers.Ineligible, "有创业意愿、培训需求的创业者"},
	},
	"startup_subsidy": {
		{"veteran starting a business", with(entrepreneur, map[string]any{"veteran": true}), answers.Possible, ""},
		{"entrepreneur in no key group", with(entrepreneur, noKeyGroup), answers.Ineligible, "重点群体（高校毕业生、农民工、脱贫人口、退役军人、残疾人、登记失业人员、4050人员等）"},
	},
	"startup_loan_interest_subsidy": {
		{"graduate starting a business", with(entrepreneur, map[string]any{"graduate": "graduation_year"}), answers.Possible, ""},
		{"employee", with(individual, map[string]any{"employment_status": "employed", "graduate": "graduation_year"}), answers.Ineligible, "自主创业"},
	},
	"returning_startup_interest_subsidy": {
		{"returned migrant starting a business", with(entrepreneur, map[string]any{"migrant_worker": "returned"}), answers.Possible, ""},
		{"entrepreneur who never left", with(entrepreneur, map[string]any{"migrant_worker": "no"}), answers.Ineligible, "返乡创业"},
	},
	"counter_guarantee_waiver": {
		{"10万 loan, lifted out of poverty", with(entrepreneur, map[string]any{"poverty_alleviated": true, "loan_amount": 10}), answers.Possible, ""},
		{"20万 loan", with(entrepreneur, map[string]any{"poverty_alleviated": true, "loan_amount": 20}), answers.Ineligible, "个人贷款10万元以下"},
	},
	"overseas_returnee_startup_programme": {
		{"returned from study abroad", with(individual, map[string]any{"talent": "overseas_returnee"}), answers.Possible, ""},
		{"researcher", with(individual, map[string]any{"talent": "researcher"}), answers.Ineligible, "留学归国人员"},
	},
	"researcher_leave_startup": {
		{"researcher", with(individual, map[string]any{"talent": "researcher"}), answers.Possible, ""},
		{"neither", with(individual, map[string]any{"talent": "none"}), answers.Ineligible, "科研人员"},
	},
	"low_cost_incubation": {
		{"entrepreneur", entrepreneur, answers.Eligible, ""},
		{"flexible worker", with(individual, map[string]any{"employment_status": "flexible"}), answers.Ineligible, "自主创业"},
	},
	"free_startup_workstation": {
		{"young entrepreneur", with(entrepreneur, map[string]any{"age": 28}), answers.Eligible, ""},
		{"entrepreneur of 40", with(entrepreneur, map[string]any{"age": 40}), answers.Ineligible, "青年创业者"},
	},
	"startup_competition_support": {
		{"entrepreneur", entrepreneur, answers.Possible, ""},
		{"employee", with(individual, map[string]any{"employment_status": "employed"}), answers.Ineligible, "自主创业"},
	},
	"occupational_injury_pilot": {
		{"delivery rider", with(individual, map[string]any{"new_form_worker": "platform"}), answers.Possible, ""},
		{"office worker", with(individual, map[string]any{"new_form_worker": "no"}), answers.Ineligible, "新经济新业态从业人员"},
	},
	"courier_minimum_pay": {
		{"courier", with(individual, map[string]any{"new_form_worker": "courier"}), answers.Possible, ""},
		{"delivery rider", with(individual, map[string]any{"new_form_worker": "platform"}), answers.Ineligible, "快递员"},
	},
	"gig_market_services": {
		{"flexible worker", with(individual, map[string]any{"employment_status": "flexible"}), answers.Eligible, ""},
		{"employee", with(individual, map[string]any{"employment_status": "employed"}), answers.Ineligible, "灵活就业或求职人员"},
	},
	"flexible_employment_social_insurance_subsidy": {
		{"graduate within 2 years, flexible, insured", with(individual, map[string]any{"graduate": "within_2_years", "employment_status": "flexible", "pays_si_personally": true}), answers.Eligible, ""},
		{"woman of 45, flexible, insured", with(individual, map[string]any{"gender": "female", "age": 45, "employment_status": "flexible", "pays_si_personally": true}), answers.Eligible, ""},
		{"man of 45, long graduated", with(individual, map[string]any{"gender": "male", "age": 45, "graduate": "over_2_years", "employment_status": "flexible", "pays_si_personally": true}), answers.Ineligible, "离校2年内未就业高校毕业生、4050人员等重点群体"},
		{"not paying social insurance", with(individual, map[string]any{"graduate": "within_2_years", "employment_status": "flexible", "pays_si_personally": false}), answers.Ineligible, "灵活就业后缴纳社会保险费"},
	},
	"vocational_training": {
		{"worker", individual, answers.Eligible, ""},
		{"employer", map[string]any{"role": "employer"}, answers.Ineligible, "个人（劳动者）"},
	},
	"skills_upgrade_subsidy": {
		{"insured 12 months", with(individual, map[string]any{"ui_months": 12}), answers.Possible, ""},
		{"receiving unemployment benefit", with(individual, map[string]any{"ui_months": 8, "receiving_ui_benefit": true}), answers.Possible, ""},
		{"insured 11 months", with(individual, map[string]any{"ui_months": 11, "receiving_ui_benefit": false}), answers.Ineligible, "累计缴纳失业保险费满12个月及以上，或正在领取失业保险金"},
	},
	"training_platform_construction_subsidy": {
		{"training platform", map[string]any{"role": "training_platform"}, answers.Possible, ""},
		{"skills master studio", map[string]any{"role": "training_platform", "training_platform_kind": "master_studio"}, answers.Possible, ""},
		{"a platform of a kind the clause does not name", map[string]any{"role": "training_platform", "training_platform_kind": "other"}, answers.Possible, ""},
		{"employer", map[string]any{"role": "employer"}, answers.Ineligible, "技能人才培训平台"},
		{"training school, no such platform", map[string]any{"role": "training_platform", "training_platform_kind": "none"}, answers.Ineligible, "高技能人才培训基地、技能大师工作室、“智能+技能”人才创新创业孵化空间、“巴渝工匠”乡村驿站、职业技能竞赛集训基地等人才培训平台"},
	},
	"free_public_employment_services": {
		{"job seeker", individual, answers.Eligible, ""},
		{"training platform", map[string]any{"role": "training_platform"}, answers.Ineligible, "劳动者和用人单位"},
	},
	"job_matching_services": {
		{"employer", map[string]any{"role": "employer"}, answers.Eligible, ""},
		{"HR agency", map[string]any{"role": "hr_agency"}, answers.Ineligible, "劳动者和用人单位"},
	},
	"job_placement_subsidy": {
		{"agency that placed hard-to-employ people", map[string]any{"role": "hr_agency", "placed_hard_to_employ": true}, answers.Possible, ""},
		{"agency that placed none", map[string]any{"role": "hr_agency", "placed_hard_to_employ": false}, answers.Ineligible, "成功介绍符合条件的离校2年未就业高校毕业生、脱贫人口、4050人员等就业困难人员实现就业"},
	},
	"purchased_employment_services": {
		{"HR agency", map[string]any{"role": "hr_agency"}, answers.Possible, ""},
		{"individual", individual, answers.Ineligible, "市场化就业服务机构"},
	},
	"labour_rights_protection": {
		{"worker owed wages", with(individual, map[string]any{"labour_dispute": true}), answers.Eligible, ""},
		{"worker without a dispute", with(individual, map[string]any{"labour_dispute": false}), answers.Ineligible, "遇到欠薪、就业歧视或劳动争议"},
	},
}

func TestEligibilityOfEachBenefit(t *testing.T) {
	e := newEligibility(t, inForce)
	for _, r := range e.Rules() {
		cases := benefitCases[r.ID]
		if len(cases) < 2 {
			t.Errorf("%s: %d cases, want one the notice lets in and one it keeps out", r.ID, len(cases))
		}
		for _, tc := range cases {
			t.Run(r.ID+"/"+tc.name, func(t *testing.T) {
				v := verdictOf(t, e, r.ID, tc.facts)
				if v.Status != tc.status {
					t.Fatalf("status %s, want %s (met %v, failed %v, open %v)", v.Status, tc.status, v.Met, v.Failed, v.Open)
				}
				switch tc.status {
				case answers.Ineligible:
					if !slices.Contains(v.Failed, tc.failed) {
						t.Errorf("failed %q, want it to name %q", v.Failed, tc.failed)
					}
					if !strings.Contains(v.Why, tc.failed) {
						t.Errorf("why %q does not say %q", v.Why, tc.failed)
					}
				case answers.Eligible:
					if len(v.Unknown) > 0 || r.Deferred {
						t.Errorf("eligible with unknown %v, deferred %v", v.Unknown, r.Deferred)
					}
				case answers.Possible:
					if !r.Deferred {
						t.Errorf("possible although not deferred and the case settles it (open %v)", v.Open)
					}
				}
			})
		}
	}
	for id := range benefitCases {
		if !slices.ContainsFunc(e.Rules(), func(r *kb.Rule) bool { return r.ID == id }) {
			t.Errorf("cases for %s, which is no rule", id)
		}
	}
}

func TestEligibilityExpires(t *testing.T) {
	// The notice's own end holds until a later document users may be told
	// of runs the measure on; then that document's period decides.
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.Add(10 * time.Hour) }
	skills := with(individual, map[string]any{"ui_months": 12})
	tests := []struct {
		id     string
		facts  map[string]any
		today  time.Time
		status answers.Eligibility
		ended  string
	}{
		{"skills_upgrade_subsidy", skills, inForce, answers.Possible, ""},
		{"skills_upgrade_subsidy", skills, day("2023-03-01"), answers.Expired, "2022年12月31日"},
		{"skills_upgrade_subsidy", skills, day("2023-08-01"), answers.Possible, ""}, // the 2023 list
		{"skills_upgrade_subsidy", skills, later, answers.Expired, "2024年12月31日"},   // 人社部发〔2024〕40号
		{"unemployment_insurance_rate_cut", map[string]any{"role": "employer"}, inForce, answers.Eligible, ""},
		{"unemployment_insurance_rate_cut", map[string]any{"role": "employer"}, day("2023-06-01"), answers.Expired, "2023年4月30日"},
		{"unemployment_insurance_rate_cut", map[string]any{"role": "employer"}, day("2025-03-01"), answers.Eligible, ""},
		{"unemployment_insurance_rate_cut", map[string]any{"role": "employer"}, later, answers.Expired, "2025年12月31日"},
		{"unemployment_assistance", with(individual, map[string]any{"ui_months": 6, "unemployed_2022": true}), later, answers.Expired, "2022年12月31日"},
		{"hiring_social_insurance_subsidy", with(enterprise, map[string]any{"key_group_hires": 2}), later, answers.Eligible, ""},
	}
	for _, tc := range tests {
		t.Run(tc.id+"@"+tc.today.Format(time.DateOnly), func(t *testing.T) {
			v := verdictOf(t, newEligibility(t, tc.today), tc.id, tc.facts)
			if v.Status != tc.status {
				t.Fatalf("status %s, want %s", v.Status, tc.status)
			}
			if tc.ended == "" {
				if v.Ended != nil {
					t.Errorf("ended %v, want none", v.Ended)
				}
				return
			}
			if v.Ended == nil || !strings.Contains(v.Why, tc.ended) || len(v.Unknown) > 0 {
				t.Errorf("ended %v, why %q, unknown %v: want it to say %s and ask nothing", v.Ended, v.Why, v.Unknown, tc.ended)
			}
		})
	}
}

func TestEligibilityAmounts(t *testing.T) {
	smallFirm := with(enterprise, map[string]any{"enterprise_size": "small"})
	tests := []struct {
		name   string
		id     string
		facts  map[string]any
		status answers.Eligibility
		figure string // the computed amount, "" when it cannot be computed
		needs  []string
		text   string
	}{
		{"3 graduates × 2000元", "one_off_hiring_subsidy", with(smallFirm, map[string]any{"graduates_hired": 3, "graduates_stayed_6m": true}), answers.Eligible, "6000元", nil, "2000元/人"},
		{"graduates not counted yet", "one_off_hiring_subsidy", with(smallFirm, map[string]any{"graduates_stayed_6m": true}), answers.Possible, "", []string{"graduates_hired"}, "2000元/人"},
		{"7800元 × 1", "hiring_tax_reduction", with(enterprise, map[string]any{"key_group_hires": 1}), answers.Eligible, "7800元/年", nil, "按实际招用人数每人每年7800元"},
		{"7800元 × 4", "hiring_tax_reduction", with(enterprise, map[string]any{"key_group_hires": 4}), answers.Eligible, "31200元/年", nil, "按实际招用人数每人每年7800元"},
		{"80 staff, 12 graduates: 15% reached", "graduate_hiring_guarantee_loan", with(smallFirm, map[string]any{"staff_count": 80, "graduates_hired": 12}), answers.Eligible, "", []string{"loan_amount"}, "最高300万元，贷款利率LPR－150BP以上部分由政府贴息"},
		{"80 staff, 11 graduates: under 15%", "graduate_hiring_guarantee_loan", with(smallFirm, map[string]any{"staff_count": 80, "graduates_hired": 11}), answers.Ineligible, "", []string{"loan_amount"}, "最高300万元，贷款利率LPR－150BP以上部分由政府贴息"},
		{"150 staff, 12 graduates: 8% reached", "graduate_hiring_guarantee_loan", with(smallFirm, map[string]any{"staff_count": 150, "graduates_hired": 12}), answers.Eligible, "", []string{"loan_amount"}, "最高300万元，贷款利率LPR－150BP以上部分由政府贴息"},
		{"150 staff, 11 graduates: under 8%", "graduate_hiring_guarantee_loan", with(smallFirm, map[string]any{"staff_count": 150, "graduates_hired": 11}), answers.Ineligible, "", []string{"loan_amount"}, "最高300万元，贷款利率LPR－150BP以上部分由政府贴息"},
		{"100 staff is not over 100: 15%", "graduate_hiring_guarantee_loan", with(smallFirm, map[string]any{"staff_count": 100, "graduates_hired": 14}), answers.Ineligible, "", []string{"loan_amount"}, "最高300万元，贷款利率LPR－150BP以上部分由政府贴息"},
		{"500万 wanted, 300万 at most", "graduate_hiring_guarantee_loan", with(smallFirm, map[string]any{"staff_count": 80, "graduates_hired": 12, "loan_amount": 500}), answers.Eligible, "300万元", nil, "最高300万元，贷款利率LPR－150BP以上部分由政府贴息"},
		{"50万 wanted", "graduate_hiring_guarantee_loan", with(smallFirm, map[string]any{"staff_count": 80, "graduates_hired": 12, "loan_amount": 50}), answers.Eligible, "50万元", nil, "最高300万元，贷款利率LPR－150BP以上部分由政府贴息"},
		{"2/3 of 9000元 paid", "flexible_employment_social_insurance_subsidy", with(individual, map[string]any{"graduate": "graduation_year", "employment_status": "flexible", "pays_si_personally": true, "personal_si_paid": 9000}), answers.Eligible, "6000元/年", nil, "个人实缴职工养老保险费、职工医疗保险费（含大额医疗保险）的2/3"},
		{"no figure in the notice", "job_expansion_subsidy", with(enterprise, map[string]any{"graduates_hired": 3}), answers.Possible, "", nil, "通知未列明标准，实施细则另行制定"},
	}
	e := newEligibility(t, inForce)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := verdictOf(t, e, tc.id, tc.facts)
			if v.Status != tc.status {
				t.Errorf("status %s, want %s (failed %v)", v.Status, tc.status, v.Failed)
			}
			if got := v.Amount.Figure(); got != tc.figure {
				t.Errorf("amount %q, want %q", got, tc.figure)
			}
			if !slices.Equal(v.Amount.Needs, tc.needs) {
				t.Errorf("amount needs %v, want %v", v.Amount.Needs, tc.needs)
			}
			if v.Amount.Text != tc.text {
				t.Errorf("amount text %q, want %q", v.Amount.Text, tc.text)
			}
		})
	}
}

// Not yet knowing a fact leaves a benefit possible, and says which facts
// would settle it, the rule's hint first.
func TestEligibilityUnknownFacts(t *testing.T) {
	tests := []struct {
		id      string
		facts   map[string]any
		unknown []string
	}{
		{"one_off_hiring_subsidy", map[string]any{"role": "employer"},
			[]string{"employer_type", "enterprise_size", "graduates_hired", "graduates_stayed_6m"}},
		{"graduate_hiring_guarantee_loan", with(enterprise, map[string]any{"enterprise_size": "micro", "graduates_hired": 12}),
			[]string{"staff_count"}},
		{"flexible_employment_social_insurance_subsidy", with(individual, map[string]any{"employment_status": "flexible", "pays_si_personally": true}),
			[]string{"graduate", "age", "gender"}},
		{"flexible_employment_social_insurance_subsidy", with(individual, map[string]any{"employment_status": "flexible", "graduate": "over_2_years", "gender": "female"}),
			[]string{"age", "pays_si_personally"}},
		{"skills_upgrade_subsidy", with(individual, map[string]any{"ui_months": 3}),
			[]string{"receiving_ui_benefit"}},
		{"unemployment_insurance_rate_cut", map[string]any{}, []string{"role", "employment_status"}},
	}
	e := newEligibility(t, inForce)
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			v := verdictOf(t, e, tc.id, tc.facts)
			if v.Status != answers.Possible {
				t.Fatalf("status %s, want possible", v.Status)
			}
			if !slices.Equal(v.Unknown, tc.unknown) {
				t.Errorf("unknown %v, want %v", v.Unknown, tc.unknown)
			}
			if len(v.Open) == 0 || !strings.Contains(v.Why, v.Open[0]) {
				t.Errorf("why %q does not name the open condition %v", v.Why, v.Open)
			}
		})
	}
}

// A deferred benefit is at best possible, with nothing left to ask: its
// details are in another document.
func TestEligibilityDeferred(t *testing.T) {
	e := newEligibility(t, inForce)
	v := verdictOf(t, e, "job_expansion_subsidy", with(enterprise, map[string]any{"graduates_hired": 3}))
	if v.Status != answers.Possible || !v.Deferred || len(v.Unknown) > 0 || len(v.Open) > 0 {
		t.Fatalf("status %s deferred %v unknown %v open %v, want possible, deferred, nothing to ask", v.Status, v.Deferred, v.Unknown, v.Open)
	}
	if !strings.Contains(v.Why, "实施细则另行制定") {
		t.Errorf("why %q does not say where the details are", v.Why)
	}
}

// Every verdict has its reason in English too, from the same conditions
// as the Chinese one, and its amount's text and unit.
func TestEligibilityInEnglish(t *testing.T) {
	tests := []struct {
		name, id string
		facts    map[string]any
		zh, en   string
	}{
		{"eligible", "one_off_hiring_subsidy", with(enterprise, map[string]any{"enterprise_size": "small", "graduates_hired": 3, "graduates_stayed_6m": true}),
			"符合条件：用人单位；企业；中小微企业；吸纳应届高校毕业生；稳定就业6个月以上。",
			"Conditions met: an employer; an enterprise; a medium, small or micro enterprise; hired this year's graduates; they stayed 6 months or more."},
		{"ineligible", "one_off_hiring_subsidy", with(enterprise, map[string]any{"enterprise_size": "large"}),
			"不符合：中小微企业。", "Not met: a medium, small or micro enterprise."},
		{"open and deferred", "job_retention_refund", with(enterprise, map[string]any{"enterprise_size": "small"}),
			"可能符合，还需确认：未享受过服务业领域困难行业企业稳岗返还。具体条件或标准另有规定",
			"May apply; still to confirm: has not had the hard-hit service sector's job-retention refund. The exact conditions or amounts are set elsewhere (the notice on job-retention refunds for hard-hit service enterprises, 渝人社发〔2022〕9号); the office handling it decides."},
		{"deferred only", "job_expansion_subsidy", with(enterprise, map[string]any{"graduates_hired": 3}),
			"具体条件或标准另有规定（实施细则另行制定）", "The exact conditions or amounts are set elsewhere (implementing rules to follow); the office handling it decides."},
	}
	e := newEligibility(t, inForce)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := verdictOf(t, e, tc.id, tc.facts)
			if zh, err := e.Reason(v, "zh"); err != nil || !strings.HasPrefix(zh, tc.zh) || zh != v.Why {
				t.Errorf("Chinese reason %q (%v), want %q first", v.Why, err, tc.zh)
			}
			if en, err := e.Reason(v, "en"); err != nil || en != tc.en {
				t.Errorf("English reason %q (%v), want %q", en, err, tc.en)
			}
		})
	}
	after := newEligibility(t, later)
	v := verdictOf(t, after, "unemployment_insurance_rate_cut", enterprise)
	if en, err := after.Reason(v, "en"); err != nil || !strings.HasPrefix(en, "This measure ended on 31 December 2025. The period of the latest known document") ||
		!strings.Contains(en, "人社部发〔2024〕40号") {
		t.Errorf("expired: %q (%v)", en, err)
	}
	v = verdictOf(t, e, "one_off_hiring_subsidy", with(enterprise, map[string]any{"graduates_hired": 2}))
	if v.Amount.TextIn("en") != "2,000 yuan per person" || v.Amount.UnitIn("en") != "yuan" || v.Amount.UnitIn("zh") != "元" {
		t.Errorf("amount in English: %q, unit %q", v.Amount.TextIn("en"), v.Amount.UnitIn("en"))
	}
}

// Benefits that cannot be combined say so on both sides.
func TestEligibilityExcludes(t *testing.T) {
	e := newEligibility(t, inForce)
	facts := with(enterprise, map[string]any{"enterprise_size": "small", "graduates_hired": 3, "graduates_stayed_6m": true})
	oneOff := verdictOf(t, e, "one_off_hiring_subsidy", facts)
	expansion := verdictOf(t, e, "job_expansion_subsidy", facts)
	if oneOff.Status != answers.Eligible || expansion.Status != answers.Possible {
		t.Fatalf("statuses %s, %s; want eligible, possible", oneOff.Status, expansion.Status)
	}
	if !slices.Equal(oneOff.Excludes, []string{"job_expansion_subsidy"}) || !slices.Equal(expansion.Excludes, []string{"one_off_hiring_subsidy"}) {
		t.Errorf("excludes %v and %v, want each other", oneOff.Excludes, expansion.Excludes)
	}
}

func TestEligibilityRejectsBadFacts(t *testing.T) {
	e := newEligibility(t, inForce)
	tests := []struct {
		name  string
		facts map[string]any
		err   []string
	}{
		{"unknown key", map[string]any{"role": "employer", "salary": 5000}, []string{`unknown fact "salary"`}},
		{"outside the enum", map[string]any{"enterprise_size": "huge"}, []string{"enterprise_size", "huge"}},
		{"wrong type", map[string]any{"graduates_hired": "three", "graduates_stayed_6m": "yes"},
			[]string{"graduates_hired: want a whole number", "graduates_stayed_6m: want true or false"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vs, err := e.Evaluate(tc.facts)
			if err == nil {
				t.Fatalf("Evaluate accepted %v (%d verdicts)", tc.facts, len(vs))
			}
			for _, want := range tc.err {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}

// Verdicts come eligible first, then possible, then superseded, then
// ineligible and expired;
// each benefit once, cited to its clause.
func TestEligibilityOrderAndCitation(t *testing.T) {
	e := newEligibility(t, later)
	vs, err := e.Evaluate(with(enterprise, map[string]any{"enterprise_size": "small", "graduates_hired": 3, "graduates_stayed_6m": true}))
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != len(e.Rules()) {
		t.Fatalf("%d verdicts for %d rules", len(vs), len(e.Rules()))
	}
	rank := map[answers.Eligibility]int{answers.Eligible: 0, answers.Possible: 1, answers.Superseded: 2, answers.Ineligible: 3, answers.Expired: 3}
	for i := 1; i < len(vs); i++ {
		if rank[vs[i-1].Status] > rank[vs[i].Status] {
			t.Errorf("%s (%s) listed before %s (%s)", vs[i-1].Benefit, vs[i-1].Status, vs[i].Benefit, vs[i].Status)
		}
	}
	if vs[0].Status != answers.Eligible {
		t.Errorf("first verdict %s is %s", vs[0].Benefit, vs[0].Status)
	}
	for _, v := range vs {
		if v.Benefit == "one_off_hiring_subsidy" {
			want := answers.Citation{Doc: "cq-2022-employment-measures", Clause: 3, Title: "降低企业用工成本",
				Quote: "对吸纳应届高校毕业生稳定就业6个月以上的中小微企业，按规定给予2000元/人一次性吸纳就业补贴。"}
			if v.Citation != want {
				t.Errorf("citation %+v, want %+v", v.Citation, want)
			}
		}
	}
}

// Asking the fact that bears on the most open benefits settles most of them
// in about five questions, for the people the notice is written for.
func TestFewQuestionsSettleMost(t *testing.T) {
	people := []struct {
		name  string
		said  map[string]any // what the first message told
		truth map[string]any // what they would answer
	}{
		{"small firm that hired graduates", map[string]any{"role": "employer", "employer_type": "enterprise", "graduates_hired": 3}, map[string]any{
			"role": "employer", "employer_type": "enterprise", "enterprise_size": "small", "staff_count": 40,
			"graduates_hired": 3, "graduates_stayed_6m": true, "key_group_hires": 0, "hired_hard_to_employ": false,
			"difficult_enterprise": false, "got_service_sector_refund": false, "key_enterprise": "none",
			"labour_brand": false, "loan_amount": 100,
		}},
		{"graduate without a job", map[string]any{"role": "individual", "graduate": "graduation_year", "employment_status": "unemployed"}, map[string]any{
			"role": "individual", "employment_status": "unemployed", "graduate": "graduation_year", "age": 22,
			"gender": "female", "poverty_alleviated": false, "disabled": false, "veteran": false,
			"migrant_worker": "no", "low_income_family": false, "other_key_group": false,
			"registered_unemployed": false, "ui_months": 0, "receiving_ui_benefit": false,
			"unemployed_2022": false, "pays_si_personally": false, "living_hardship": false, "talent": "none",
			"new_form_worker": "no", "labour_dispute": false,
		}},
		{"woman of 45 delivering food", map[string]any{"role": "individual", "age": 45, "gender": "female", "employment_status": "flexible", "new_form_worker": "platform"}, map[string]any{
			"role": "individual", "employment_status": "flexible", "graduate": "none", "age": 45,
			"gender": "female", "poverty_alleviated": false, "disabled": false, "veteran": false,
			"migrant_worker": "away", "low_income_family": false, "other_key_group": false,
			"registered_unemployed": false, "ui_months": 0, "receiving_ui_benefit": false,
			"unemployed_2022": false, "pays_si_personally": true, "living_hardship": false, "talent": "none",
			"new_form_worker": "platform", "labour_dispute": false,
		}},
	}
	e := newEligibility(t, inForce)
	for _, p := range people {
		t.Run(p.name, func(t *testing.T) {
			facts, err := e.Schema().NormalizeAll(p.said)
			if err != nil {
				t.Fatal(err)
			}
			var asked []string
			for range 5 {
				vs, err := e.Evaluate(facts)
				if err != nil {
					t.Fatal(err)
				}
				ranked := answers.RankUnknown(vs)
				if len(ranked) == 0 {
					break
				}
				k := ranked[0].Key
				asked = append(asked, k)
				facts[k] = p.truth[k]
			}
			vs, err := e.Evaluate(facts)
			if err != nil {
				t.Fatal(err)
			}
			open := 0
			for _, v := range vs {
				if len(v.Unknown) > 0 {
					open++
				}
			}
			t.Logf("asked %v; %d of %d benefits still open", asked, open, len(vs))
			if open*5 > len(vs) {
				t.Errorf("%d of %d benefits still open after asking %v", open, len(vs), asked)
			}
		})
	}
}

// BenchmarkEvaluate judges all 46 benefits for an employer part-way through
// the dialogue: what every turn of an eligibility conversation costs.
func BenchmarkEvaluate(b *testing.B) {
	e := newEligibility(b, inForce)
	facts := with(enterprise, map[string]any{"enterprise_size": "small", "graduates_hired": 3})
	for b.Loop() {
		if _, err := e.Evaluate(facts); err != nil {
			b.Fatal(err)
		}
	}
}
