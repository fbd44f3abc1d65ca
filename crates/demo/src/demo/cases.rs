//! What station dispute records say: one template per kind of dispute a community officer
//! meets, in every default category, written the way a station's 矛盾纠纷登记簿 reads
//! (parties as 张某/李某, the place, what happened, what was agreed). `demo` and `seed`
//! fill them with the parties' surnames, the village and an amount.
//!
//! Placeholders: `{a}` applicant, `{b}` respondent, `{c}` a third party (all as 某 names),
//! `{v}` village, `{amt}` the amount in yuan, `{n}` people involved, `{town}` the station's
//! town, `{y}` the year, `{no}` a reference serial, `{code}` the station code.

use beatbook_model::{DisputeScale, DisputeSource};

/// One kind of dispute.
pub(crate) struct Case {
    /// Category code of the shipped dictionary (`defaults/disputes.toml`).
    pub category: &'static str,
    /// Sub-category code, or empty.
    pub subcategory: &'static str,
    pub title: &'static str,
    pub place: &'static str,
    pub description: &'static str,
    /// Amount at stake in yuan, (min, max); (0, 0) when money is not the point.
    pub amount: (u64, u64),
    pub source: DisputeSource,
    pub scale: DisputeScale,
    /// People involved besides the parties, (min, max): group disputes involve crowds.
    pub crowd: (u32, u32),
    /// Indicators that come with this kind of dispute, each with its chance in percent.
    pub indicators: &'static [(&'static str, u32)],
    /// Chance in percent that the station files it as complex (15-day deadline).
    pub complex: u32,
    /// What the parties agreed: the session agreement and the resolution.
    pub agreement: &'static str,
    /// Where a referral goes, and its reference number.
    pub referral: (&'static str, &'static str),
    /// Where such disputes happen: homestead plots are in villages, flats in communities.
    pub setting: Setting,
}

/// The kind of place a dispute belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Setting {
    /// A village (…村).
    Rural,
    /// An urban community (…社区).
    Urban,
    Any,
}

impl Setting {
    /// Whether `village` suits the setting.
    pub fn suits(self, village: &str) -> bool {
        match self {
            Setting::Rural => village.ends_with('村'),
            Setting::Urban => village.ends_with("社区"),
            Setting::Any => true,
        }
    }
}

const COMMITTEE: (&str, &str) = ("{town}镇人民调解委员会", "{town}调〔{y}〕{no}号");
const COURT: (&str, &str) = ("青山县人民法院{town}人民法庭", "（{y}）青0121民初{no}号");

pub(crate) const CASES: &[Case] = &[
    // 01 婚恋家庭
    Case {
        category: "01",
        subcategory: "0101",
        title: "{a}与{b}婚后财产分割纠纷",
        place: "{v}{a}娘家",
        description: "{a}与丈夫{b}结婚十余年，近年感情不和，{a}提出离婚。双方就婚后共同建造的房屋及存款约{amt}元如何分割争执不下，{b}多次到{a}娘家吵闹，扬言“谁也别想好过”。",
        amount: (80_000, 400_000),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (0, 2),
        indicators: &[("alcohol", 30), ("violence_threat", 15), ("minors", 30)],
        complex: 40,
        agreement: "双方同意通过诉讼程序解除婚姻关系；诉讼期间{b}不得到{a}娘家滋扰，房屋暂由{a}及子女居住。",
        referral: COURT,
        setting: Setting::Any,
    },
    Case {
        category: "01",
        subcategory: "0102",
        title: "{a}与{b}赡养老人纠纷",
        place: "{v}{a}母亲住处",
        description: "{a}、{b}系兄弟，母亲年逾八旬、常年卧病。{a}认为{b}长期不承担赡养费用和照料义务，双方在母亲住处发生争吵并有推搡。",
        amount: (0, 0),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (1, 3),
        indicators: &[("prior_violence", 15), ("alcohol", 10)],
        complex: 10,
        agreement: "兄弟二人按月各支付母亲生活费八百元，医疗费凭票据平均分担；母亲轮流在两家居住，每家三个月。",
        referral: COMMITTEE,
        setting: Setting::Rural,
    },
    Case {
        category: "01",
        subcategory: "0103",
        title: "{a}与{b}遗产继承纠纷",
        place: "{v}{b}家老宅",
        description: "{a}与{b}系姐弟。父亲去世后留下老宅一处及征地补偿款{amt}元，{b}以“女儿出嫁不继承”为由拒绝分给{a}，双方矛盾激化。",
        amount: (50_000, 200_000),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (0, 2),
        indicators: &[("large_amount", 20)],
        complex: 50,
        agreement: "经释法说理，双方同意补偿款按法定继承平均分配，老宅归{b}所有，{b}另补偿{a}两万元。",
        referral: COURT,
        setting: Setting::Rural,
    },
    Case {
        category: "01",
        subcategory: "0104",
        title: "{a}与{b}家庭暴力纠纷",
        place: "{v}{a}家中",
        description: "{b}酒后因琐事殴打妻子{a}，致其面部软组织挫伤，{a}拨打110求助。{a}称类似情况近一年已发生多次，孩子受到惊吓。",
        amount: (0, 0),
        source: DisputeSource::Call110,
        scale: DisputeScale::Individual,
        crowd: (0, 1),
        indicators: &[
            ("prior_violence", 80),
            ("alcohol", 70),
            ("minors", 50),
            ("violence_threat", 30),
        ],
        complex: 20,
        agreement: "{b}写下保证书，承诺戒酒、不再动手；妇联和村委会共同跟踪，如再发生依法出具家庭暴力告诫书。",
        referral: ("青山县妇女联合会", "青妇转〔{y}〕{no}号"),
        setting: Setting::Any,
    },
    // 02 邻里纠纷
    Case {
        category: "02",
        subcategory: "",
        title: "{a}与{b}邻里噪音纠纷",
        place: "{v}{a}住处楼上",
        description: "{a}反映楼上住户{b}家长期深夜打麻将、拖拽桌椅，严重影响其休息。{a}多次上楼交涉未果，双方在楼道内发生口角。",
        amount: (0, 0),
        source: DisputeSource::Call110,
        scale: DisputeScale::Individual,
        crowd: (0, 2),
        indicators: &[("alcohol", 10)],
        complex: 0,
        agreement: "{b}承诺晚十点后不在家中打牌喧哗，桌椅腿加装防噪垫；{a}有意见先找物业或社区，不再上门争吵。",
        referral: COMMITTEE,
        setting: Setting::Urban,
    },
    Case {
        category: "02",
        subcategory: "",
        title: "{a}与{b}排水沟堵塞纠纷",
        place: "{v}{a}、{b}两家屋后",
        description: "{b}在自家屋后加盖偏房，将两家之间的排水沟堵塞，雨天雨水倒灌{a}家厨房。{a}要求拆除，{b}拒绝，双方多次争吵。",
        amount: (0, 0),
        source: DisputeSource::Screening,
        scale: DisputeScale::Individual,
        crowd: (0, 2),
        indicators: &[("prior_violence", 10)],
        complex: 10,
        agreement: "{b}自行出资将排水沟改道疏通，三日内完工；{a}不再要求拆除偏房。",
        referral: COMMITTEE,
        setting: Setting::Rural,
    },
    Case {
        category: "02",
        subcategory: "",
        title: "{a}与{b}占道堆放杂物纠纷",
        place: "{v}{a}家门前通道",
        description: "{b}长期在{a}家门前公共通道堆放柴草和建材，{a}家三轮车无法进出。双方为此争吵，{b}扬言“谁动我东西就打谁”。",
        amount: (0, 0),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (0, 1),
        indicators: &[("violence_threat", 25)],
        complex: 0,
        agreement: "{b}于一周内清理通道杂物，柴草移至自家院内；村委会在通道划线，双方均不得占用。",
        referral: COMMITTEE,
        setting: Setting::Rural,
    },
    Case {
        category: "02",
        subcategory: "",
        title: "{a}与{b}养犬扰民纠纷",
        place: "{v}{b}家院外",
        description: "{b}家饲养两条大型犬，夜间狂吠且常在{a}家门口便溺，{a}多次劝说无果，扬言要“下药毒死”，{b}则称谁敢动狗就跟谁拼命。",
        amount: (0, 0),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (0, 1),
        indicators: &[("violence_threat", 20), ("minors", 10)],
        complex: 0,
        agreement: "{b}将犬只拴养并办理犬证，夜间关入犬舍；{a}不得投放任何药物，双方如有问题由网格员协调。",
        referral: COMMITTEE,
        setting: Setting::Rural,
    },
    // 03 土地及资源权属
    Case {
        category: "03",
        subcategory: "0302",
        title: "{a}与{b}宅基地边界纠纷",
        place: "{v}{a}、{b}两家房屋之间",
        description: "{a}与{b}系前后邻居。{b}翻建新房时打地基越过原界址约半米，{a}认为侵占其宅基地，多次阻止施工，双方在工地发生推搡，{b}手持铁锹扬言要动手。",
        amount: (0, 0),
        source: DisputeSource::Call110,
        scale: DisputeScale::Individual,
        crowd: (1, 4),
        indicators: &[
            ("weapons", 30),
            ("violence_threat", 30),
            ("prior_violence", 20),
        ],
        complex: 60,
        agreement: "经村委会和自然资源所现场测量，按原界址重新埋设界桩；{b}越界部分的墙基后退三十厘米，{a}不再阻挠施工。",
        referral: COMMITTEE,
        setting: Setting::Rural,
    },
    Case {
        category: "03",
        subcategory: "0301",
        title: "{a}与{b}土地承包经营权纠纷",
        place: "{v}后山承包地",
        description: "{a}外出务工期间将承包地交由{b}代种，返乡后要求收回，{b}以已投入肥料、果苗{amt}元为由拒绝交还，双方在地头争吵。",
        amount: (3_000, 20_000),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (0, 2),
        indicators: &[("prior_violence", 10)],
        complex: 40,
        agreement: "{b}本季作物收割后交还土地，{a}按市价补偿果苗款{amt}元。",
        referral: ("青山县农村土地承包仲裁委员会", "青农仲〔{y}〕{no}号"),
        setting: Setting::Rural,
    },
    Case {
        category: "03",
        subcategory: "0303",
        title: "{a}与{b}灌溉用水纠纷",
        place: "{v}山塘下游水田",
        description: "天旱水少，{a}与{b}为争抢山塘放水灌溉的先后次序发生争执，{b}挖断{a}家引水渠，双方手持锄头对峙，经村干部劝开。",
        amount: (0, 0),
        source: DisputeSource::Call110,
        scale: DisputeScale::Individual,
        crowd: (2, 8),
        indicators: &[("weapons", 40), ("group", 20)],
        complex: 30,
        agreement: "由村民小组按田亩面积排定放水时间表，双方各按时段取水；{b}修复被挖断的引水渠。",
        referral: COMMITTEE,
        setting: Setting::Rural,
    },
    // 04 债务借贷
    Case {
        category: "04",
        subcategory: "",
        title: "{a}与{b}借款未还纠纷",
        place: "{v}{b}家中",
        description: "{b}前年向{a}借款{amt}元用于养殖，约定一年内归还。到期后{b}以养殖亏损为由一再拖延，{a}多次上门催讨，双方发生争吵，{a}扬言要“去他家搬东西抵债”。",
        amount: (20_000, 150_000),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (0, 1),
        indicators: &[("large_amount", 30), ("violence_threat", 10)],
        complex: 30,
        agreement: "{b}当场归还一万元，余款按月归还三千元，年底前还清，双方签订还款协议。",
        referral: COURT,
        setting: Setting::Any,
    },
    Case {
        category: "04",
        subcategory: "",
        title: "{a}与{b}合伙经营欠款纠纷",
        place: "{v}原农家乐",
        description: "{a}与{b}合伙经营农家乐，散伙时对账目有分歧，{a}称{b}尚欠其分红及垫付款{amt}元，{b}不认账，双方在村口争吵。",
        amount: (30_000, 200_000),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (0, 1),
        indicators: &[("large_amount", 40)],
        complex: 60,
        agreement: "双方共同委托村会计核对账目，确认欠款金额后分两期于三个月内付清。",
        referral: COURT,
        setting: Setting::Any,
    },
    // 05 劳动人事
    Case {
        category: "05",
        subcategory: "0501",
        title: "{a}等{n}人与{b}拖欠工资纠纷",
        place: "{v}安置房工地",
        description: "{b}承包{v}安置房工程的泥工、木工活，拖欠{a}等{n}名工人工资共计{amt}元。临近年底，工人多次到工地讨薪未果，扬言集体到县政府上访。",
        amount: (80_000, 600_000),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Group,
        crowd: (8, 30),
        indicators: &[("group", 100), ("petition_threat", 60), ("large_amount", 60)],
        complex: 70,
        agreement: "在劳动保障监察大队协调下，总包方先行垫付工资的六成，余款由{b}于月底前结清。",
        referral: ("青山县劳动保障监察大队", "青劳监〔{y}〕{no}号"),
        setting: Setting::Any,
    },
    Case {
        category: "05",
        subcategory: "",
        title: "{a}与{b}工伤赔偿纠纷",
        place: "{v}{b}经营的砖厂",
        description: "{a}在{b}经营的砖厂干活时被制砖机压伤左手，{b}仅支付部分医药费，双方就误工费、伤残赔偿金{amt}元协商未果。",
        amount: (20_000, 120_000),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (1, 3),
        indicators: &[("large_amount", 30), ("petition_threat", 10)],
        complex: 60,
        agreement: "{b}一次性赔偿{a}医疗费、误工费等共计{amt}元，分两次付清。",
        referral: ("青山县劳动人事争议仲裁委员会", "青劳人仲案字〔{y}〕{no}号"),
        setting: Setting::Any,
    },
    // 06 合同纠纷
    Case {
        category: "06",
        subcategory: "",
        title: "{a}与{b}房屋装修合同纠纷",
        place: "{v}{a}新房",
        description: "{a}将新房交由{b}装修，约定工期两个月、工程款{amt}元。{b}延期一个多月仍未完工且墙面开裂，{a}拒付尾款，{b}带人到{a}家中索要。",
        amount: (30_000, 120_000),
        source: DisputeSource::Call110,
        scale: DisputeScale::Individual,
        crowd: (1, 4),
        indicators: &[("group", 10)],
        complex: 30,
        agreement: "{b}于二十日内返工修补墙面，验收合格后{a}支付尾款，逾期每日扣减违约金一百元。",
        referral: COURT,
        setting: Setting::Urban,
    },
    Case {
        category: "06",
        subcategory: "",
        title: "{a}与{b}农资买卖合同纠纷",
        place: "{v}{b}农资店",
        description: "{a}从{b}的农资店赊购化肥、农药共计{amt}元，称施用后秧苗大面积发黄，拒绝付款并要求赔偿损失。",
        amount: (5_000, 30_000),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (0, 2),
        indicators: &[],
        complex: 40,
        agreement: "经农技站取样检测后，双方同意各承担一半损失，{a}按折价付清货款。",
        referral: ("青山县市场监督管理局", "青市监投〔{y}〕{no}号"),
        setting: Setting::Rural,
    },
    // 07 房屋物业
    Case {
        category: "07",
        subcategory: "",
        title: "{a}与{b}房屋漏水纠纷",
        place: "{v}{b}住处楼下",
        description: "{b}家卫生间防水层老化，长期向楼下{a}家渗水，造成天花板霉变、家具受损。{a}要求赔偿{amt}元并维修，{b}认为要价过高。",
        amount: (2_000, 15_000),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (0, 1),
        indicators: &[],
        complex: 0,
        agreement: "{b}请人重做卫生间防水，并赔偿{a}天花板修复费用{amt}元。",
        referral: COMMITTEE,
        setting: Setting::Urban,
    },
    Case {
        category: "07",
        subcategory: "",
        title: "{a}与{b}房屋租赁押金纠纷",
        place: "{v}{b}出租屋",
        description: "{a}租住{b}的房屋一年，退租时{b}以墙面污损为由扣留押金{amt}元，{a}不服，双方在出租屋发生争执。",
        amount: (1_000, 6_000),
        source: DisputeSource::Call110,
        scale: DisputeScale::Individual,
        crowd: (0, 1),
        indicators: &[],
        complex: 0,
        agreement: "{b}退还押金的八成，其余作为墙面粉刷费用，双方再无其他争议。",
        referral: COMMITTEE,
        setting: Setting::Urban,
    },
    // 08 损害赔偿
    Case {
        category: "08",
        subcategory: "0801",
        title: "{a}与{b}交通事故赔偿纠纷",
        place: "{v}附近的县道路口",
        description: "{a}驾驶电动车与{b}驾驶的小型货车在路口相撞，{a}右腿骨折住院。交警认定{b}负主要责任，双方就医疗费、误工费等赔偿{amt}元协商未果，{a}家属多次到{b}家吵闹。",
        amount: (20_000, 150_000),
        source: DisputeSource::Call110,
        scale: DisputeScale::Individual,
        crowd: (1, 5),
        indicators: &[("large_amount", 30), ("group", 10)],
        complex: 50,
        agreement: "{b}及其保险公司赔偿{a}各项损失共计{amt}元，保险理赔款到账后三日内支付。",
        referral: ("青山县公安局交通警察大队事故处理中队", "青公交认字〔{y}〕第{no}号"),
        setting: Setting::Any,
    },
    Case {
        category: "08",
        subcategory: "0802",
        title: "{a}与{b}诊所医疗纠纷",
        place: "{v}{b}诊所",
        description: "{a}之父在{b}开办的诊所输液后出现过敏反应，转院抢救后好转。{a}认为诊所用药不当，要求赔偿{amt}元，并带亲属在诊所门口拉横幅。",
        amount: (10_000, 80_000),
        source: DisputeSource::Call110,
        scale: DisputeScale::Individual,
        crowd: (3, 12),
        indicators: &[("group", 40), ("petition_threat", 30)],
        complex: 60,
        agreement: "经县医疗纠纷人民调解委员会调解，{b}一次性补偿{a}{amt}元，{a}撤除横幅，不再到诊所滋扰。",
        referral: ("青山县医疗纠纷人民调解委员会", "青医调〔{y}〕{no}号"),
        setting: Setting::Any,
    },
    Case {
        category: "08",
        subcategory: "",
        title: "{a}与{b}犬只伤人赔偿纠纷",
        place: "{v}村道",
        description: "{b}家饲养的犬只未拴绳，将路过的{a}咬伤，{a}注射狂犬疫苗等花费{amt}元，要求{b}赔偿，{b}称狗是自己跑出去的，拒不赔偿。",
        amount: (1_000, 5_000),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (0, 1),
        indicators: &[("minors", 30)],
        complex: 0,
        agreement: "{b}赔偿{a}医药费、误工费共计{amt}元，并承诺今后拴养犬只。",
        referral: COMMITTEE,
        setting: Setting::Rural,
    },
    // 09 征地拆迁 / 城乡建设
    Case {
        category: "09",
        subcategory: "",
        title: "{a}等{n}户与{b}征地补偿款分配纠纷",
        place: "{v}村部",
        description: "{v}部分土地被征收用于修建工业园道路，村民小组组长{b}提出的补偿款分配方案将外嫁女排除在外，{a}等{n}户村民不服，多次聚集到村部讨说法，扬言到市里上访。",
        amount: (300_000, 2_000_000),
        source: DisputeSource::Petition,
        scale: DisputeScale::Group,
        crowd: (10, 40),
        indicators: &[("group", 100), ("petition_threat", 70), ("large_amount", 60)],
        complex: 90,
        agreement: "按村民代表大会重新表决的方案分配补偿款，户口仍在本村的外嫁女同等享受补偿。",
        referral: ("{town}镇人民政府", "{town}政函〔{y}〕{no}号"),
        setting: Setting::Rural,
    },
    Case {
        category: "09",
        subcategory: "",
        title: "{a}与{b}房屋拆迁安置纠纷",
        place: "{v}拆迁片区",
        description: "{a}的老房子在拆迁范围内，认为评估公司对其附属房屋漏评，与负责丈量的{b}发生争执，{a}情绪激动，扬言“不给说法就喝农药”。",
        amount: (50_000, 300_000),
        source: DisputeSource::Petition,
        scale: DisputeScale::Individual,
        crowd: (0, 3),
        indicators: &[("self_harm_threat", 50), ("petition_threat", 30)],
        complex: 70,
        agreement: "由征拆办重新组织评估，漏评的附属房屋按标准补偿；{a}表示不再采取过激行为。",
        referral: ("青山县房屋征收与补偿办公室", "青征办函〔{y}〕{no}号"),
        setting: Setting::Any,
    },
    // 99 其他
    Case {
        category: "99",
        subcategory: "",
        title: "{a}与{b}网络言语侮辱纠纷",
        place: "{v}村民微信群",
        description: "{b}在村民微信群内多次发布辱骂{a}的语音和图片，称其“作风不正”，{a}感到名誉受损，要求{b}公开道歉，双方家属在村口对骂。",
        amount: (0, 0),
        source: DisputeSource::WalkIn,
        scale: DisputeScale::Individual,
        crowd: (0, 2),
        indicators: &[("violence_threat", 10)],
        complex: 0,
        agreement: "{b}在微信群内公开向{a}道歉并撤回相关言论，双方保证今后不再互相攻击。",
        referral: COMMITTEE,
        setting: Setting::Any,
    },
    Case {
        category: "99",
        subcategory: "",
        title: "{a}与{b}办丧事占道纠纷",
        place: "{v}村道",
        description: "{b}家办丧事在村道搭棚三天，{a}家农用车无法通行，双方为此争吵，{b}家亲属围住{a}推搡，{c}上前劝阻时被推倒。",
        amount: (0, 0),
        source: DisputeSource::Call110,
        scale: DisputeScale::Individual,
        crowd: (2, 6),
        indicators: &[("group", 30), ("prior_violence", 20)],
        complex: 0,
        agreement: "{b}家将灵棚移至自家院坝，留出车道；{b}向{c}赔礼道歉并承担检查费用，双方互不追究。",
        referral: COMMITTEE,
        setting: Setting::Rural,
    },
];

/// How mediation sessions were held.
pub(crate) const SESSION_METHODS: &[&str] = &[
    "面对面调解",
    "背对背调解",
    "联合村（居）委会调解",
    "联合司法所调解",
    "电话沟通",
];

/// Who sat at the table besides the parties.
pub(crate) const MEDIATORS: &[&str] = &[
    "村调解委员会主任",
    "网格员",
    "司法所调解员",
    "村支书",
    "社区民警",
];

pub(crate) const NO_AGREEMENT: &[&str] = &[
    "双方分歧较大，{b}不同意{a}的要求，约定下周再次调解。",
    "{b}未到场，电话联系称在外地，另约时间。",
    "双方情绪激动，当场未能达成一致，已分别做思想工作。",
];

pub(crate) const PARTIAL: &[&str] = &[
    "双方就主要问题达成一致，具体金额和期限待进一步协商。",
    "{b}同意先行处理部分诉求，其余待核实后再议。",
];

pub(crate) const RESOLUTION_METHODS: &[&str] = &[
    "当场调解",
    "派出所调解",
    "人民调解委员会调解",
    "联合调解（派出所、司法所、村委会）",
    "协商和解",
];

pub(crate) const EVALUATIONS: &[&str] = &[
    "双方已履行调解协议，回访未见反复，予以办结。",
    "协议履行完毕，当事人对处理结果表示满意。",
    "经多次回访，双方关系已缓和，纠纷化解。",
];

pub(crate) const REOPEN_REASONS: &[&str] = &[
    "{b}未按协议履行，双方再次发生争执。",
    "双方因同一问题再次发生口角，{a}到所反映。",
    "协议履行中出现新的分歧，矛盾反弹。",
];

pub(crate) const EXTENSION_REASONS: &[&str] = &[
    "当事人{b}在外地务工，需待其返乡后再次组织调解。",
    "需等待有关部门重新测量、核实，申请延长调解期限。",
    "涉及金额较大，需等待鉴定结论后再行调解。",
];

pub(crate) const EXTENSION_REJECTED: &str = "期限内可以完成，请抓紧组织调解。";

pub(crate) const REFERRAL_REASONS: &[&str] = &[
    "法律关系复杂，经双方同意移交专业调解组织。",
    "当事人坚持通过诉讼解决，已告知诉讼途径并移交。",
    "属其他部门职责范围，已移交并告知当事人。",
];

/// Where escalated disputes went: (case type, reference, reason).
pub(crate) const ESCALATIONS: &[(&str, &str, &str)] = &[
    (
        "治安案件（殴打他人）",
        "青公（{code}）行受字〔{y}〕{no}号",
        "调解期间{b}动手殴打{a}，已受理为治安案件。",
    ),
    (
        "治安案件（寻衅滋事）",
        "青公（{code}）行受字〔{y}〕{no}号",
        "{b}纠集多人到{a}家滋事，已受理为治安案件。",
    ),
    (
        "刑事案件（故意伤害）",
        "青公（{code}）刑立字〔{y}〕{no}号",
        "{a}经鉴定构成轻伤，涉嫌故意伤害，已立为刑事案件。",
    ),
];

/// Follow-up notes when the agreement is not being kept.
pub(crate) const NOT_HONOURED: &[&str] = &[
    "对方未按期支付款项，申请人不满，已督促履行。",
    "{b}未按协议整改，双方又有口角，已做疏导并报所长关注。",
];
